"""One observership on a 360 px phone: the administrator offers a placement at the
Singapore centre (the demo has no Singapore coordinator yet: administrators run offers
too), the Beijing coordinator nominates a nurse, the administrator selects her, the host
side accepts her with a start date and a supervisor, and she downloads her invitation
letter (issue 18, first slice)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits, click_and_wait

pytestmark = pytest.mark.browser
WIDTH = 360


def _as(page, sign_in, email: str, url: str) -> None:
    page.context.clear_cookies()
    sign_in(email)
    page.goto(url + ("&" if "?" in url else "?") + "lang=en")
    assert_fits(page, WIDTH)


def test_offer_nominate_select_accept_and_the_letter(page, sign_in):
    page.set_viewport_size({"width": WIDTH, "height": 740})
    _as(page, sign_in, "admin@example.org", "/placements/offers/new")
    page.get_by_label("Title").fill("Four weeks at the palliative service")
    page.get_by_label("Host institution").select_option(label="Singapore Palliative Care Centre")
    page.get_by_label("Programme").select_option(
        label="Beijing Palliative Care Train-the-Trainer Programme"
    )
    page.get_by_label("First possible day").fill("2027-03-01")
    page.get_by_label("Last possible day").fill("2027-04-30")
    page.get_by_label("Length in days").fill("28")
    page.get_by_label("Places").fill("2")
    page.get_by_label("Ward rounds").check()
    page.get_by_label("Family meetings").check()
    page.get_by_label("Supervisors' e-mail addresses").fill("trainer@example.org")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", name="Four weeks at the palliative service")).to_be_visible()
    assert_fits(page, WIDTH)
    offer_url = page.url.split("?")[0]

    _as(page, sign_in, "coordinator@example.org", offer_url)
    page.get_by_label("Person to nominate").select_option(label="Sun Li (sun.li@example.org)")
    click_and_wait(page, page.get_by_role("button", name="Nominate"))
    expect(page.locator("dl.facts")).to_contain_text("Nominated")
    placement_url = page.url.split("?")[0]

    _as(page, sign_in, "admin@example.org", placement_url)
    click_and_wait(page, page.get_by_role("button", name="Select", exact=True))
    expect(page.locator("dl.facts")).to_contain_text("Selected")
    page.get_by_label("First day").fill("2027-03-08")
    page.get_by_label("Supervisor").select_option(label="Dr Rajesh Kumar")
    click_and_wait(page, page.get_by_role("button", name="Accept", exact=True))
    expect(page.locator("dl.facts")).to_contain_text("Accepted")
    expect(page.locator("main ol")).to_contain_text("Wang Fang")  # who nominated, in the history
    assert_fits(page, WIDTH)

    _as(page, sign_in, "sun.li@example.org", "/placements/mine")
    click_and_wait(page, page.get_by_role("link", name="Four weeks at the palliative service"))
    assert_fits(page, WIDTH)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the invitation letter (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
