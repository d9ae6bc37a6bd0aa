"""One observership from offer to follow-up, on a 360 px phone (issue 18): the Singapore
host coordinator offers a placement, the Beijing coordinator nominates a nurse, the
administrator selects her, the host accepts her with Dr Hannah Koh as supervisor; she
sets her objectives and her supervisor agrees them; she writes a logbook day; the
supervisor records the mid-point and final assessments, which complete the placement;
her certificate of observership is verified at /verify by a signed-out visitor; she
writes and shares her adaptation plan and answers the 3-month follow-up.

The placement lies in the past (it ended about 107 days ago) so that every step, the
3-month follow-up included, is open today without touching the server's clock."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits, click_and_wait

pytestmark = pytest.mark.browser
WIDTH = 360
TITLE = "Two weeks at the Singapore palliative service"


def _as(page, sign_in, email: str, url: str) -> None:
    page.context.clear_cookies()
    sign_in(email)
    page.goto(url + ("&" if "?" in url else "?") + "lang=en")
    assert_fits(page, WIDTH)


def _offer_and_accept(page, sign_in, starts: date) -> str:
    """The steps up to acceptance; the placement's address."""
    _as(page, sign_in, "host@example.org", "/placements/offers/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Host institution").select_option(label="Singapore Palliative Care Centre")
    page.get_by_label("Programme").select_option(
        label="Beijing Palliative Care Train-the-Trainer Programme"
    )
    page.get_by_label("First possible day").fill(starts.isoformat())
    page.get_by_label("Last possible day").fill((starts + timedelta(days=13)).isoformat())
    page.get_by_label("Length in days").fill("14")
    page.get_by_label("Places").fill("1")
    page.get_by_label("Ward rounds").check()
    page.get_by_label("Home visits").check()
    page.get_by_label("Supervisors' e-mail addresses").fill("hannah.koh@example.org")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    offer_url = page.url.split("?")[0]

    _as(page, sign_in, "coordinator@example.org", offer_url)
    page.get_by_label("Person to nominate").select_option(label="Sun Li (sun.li@example.org)")
    click_and_wait(page, page.get_by_role("button", name="Nominate"))
    placement_url = page.url.split("?")[0]

    _as(page, sign_in, "admin@example.org", placement_url)
    click_and_wait(page, page.get_by_role("button", name="Select", exact=True))
    expect(page.locator("dl.facts")).to_contain_text("Selected")

    _as(page, sign_in, "host@example.org", placement_url)
    page.get_by_label("First day").fill(starts.isoformat())
    page.get_by_label("Supervisor").select_option(label="Dr Hannah Koh")
    click_and_wait(page, page.get_by_role("button", name="Accept", exact=True))
    expect(page.locator("dl.facts")).to_contain_text("Accepted")
    return placement_url


def _agree_objectives(page, sign_in, placement_url: str) -> None:
    _as(page, sign_in, "sun.li@example.org", placement_url + "/objectives")
    page.locator("#objectives-0-competency").select_option(index=1)
    page.locator("#objectives-1-text").fill("Lead a family meeting with an interpreter")
    page.locator("#objectives-2-text").fill("Organise a home visit round for a district team")
    click_and_wait(page, page.get_by_role("button", name="Save the objectives"))
    assert_fits(page, WIDTH)

    _as(page, sign_in, "hannah.koh@example.org", placement_url)
    click_and_wait(page, page.get_by_role("button", name="Agree these objectives"))
    expect(page.locator("main")).to_contain_text("Agreed by Dr Hannah Koh")


def _write_a_logbook_day(page, sign_in, placement_url: str, day: date) -> None:
    _as(page, sign_in, "sun.li@example.org", f"{placement_url}/logbook/{day.isoformat()}")
    page.locator("#activities-0-kind").select_option("ward_rounds")
    page.locator("#activities-0-hours").fill("3.5")
    page.locator("#activities-1-kind").select_option("home_visits")
    page.locator("#activities-1-hours").fill("2")
    page.get_by_label("What I saw").fill(
        "The team reviewed breakthrough pain at the bedside, nurse and doctor together."
    )
    page.get_by_label("What I learned").fill("Rescue doses are charted and reviewed daily.")
    page.get_by_label("What I would adapt at home").fill("A daily rescue-dose review on our ward.")
    assert_fits(page, WIDTH)
    click_and_wait(page, page.get_by_role("button", name="Submit", exact=True))
    assert_fits(page, WIDTH)
    expect(page.locator("main")).to_contain_text("5.5")  # the day's hours, submitted


def _assess(page, sign_in, placement_url: str, stage: str, level: str, days: str) -> None:
    _as(page, sign_in, "hannah.koh@example.org", f"{placement_url}/assessment/{stage}")
    for row in range(3):
        page.locator(f"input[name='ratings-{row}-level'][value='{level}']").check()
    page.get_by_label("Days present").fill(days)
    assert_fits(page, WIDTH)
    click_and_wait(page, page.get_by_role("button", name="Save the assessment"))


def test_one_observership_from_offer_to_the_three_month_follow_up(page, sign_in):
    page.set_viewport_size({"width": WIDTH, "height": 740})
    starts = date.today() - timedelta(days=120)
    placement_url = _offer_and_accept(page, sign_in, starts)
    _agree_objectives(page, sign_in, placement_url)
    _write_a_logbook_day(page, sign_in, placement_url, starts + timedelta(days=1))

    _assess(page, sign_in, placement_url, "mid", "2", "7")
    _assess(page, sign_in, placement_url, "final", "3", "13")
    expect(page.locator("dl.facts")).to_contain_text("Completed")

    _as(page, sign_in, "sun.li@example.org", placement_url)
    click_and_wait(page, page.get_by_role("link", name="Certificate of observership"))
    assert_fits(page, WIDTH)
    code = re.search(r"PAL-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", page.content())[0]
    page.context.clear_cookies()
    page.goto(f"/verify/{code}?lang=en")
    assert_fits(page, WIDTH)
    verified = page.locator("main")
    expect(verified).to_contain_text("Sun Li")
    expect(verified).to_contain_text("Singapore Palliative Care Centre")
    expect(verified).to_contain_text("13")  # days present
    expect(verified).to_contain_text("5.5")  # hours from the logbook

    _as(page, sign_in, "sun.li@example.org", placement_url + "/plan")
    page.locator("#changes-0-description").fill("A daily rescue-dose review on the ward")
    page.locator("#changes-0-owner").fill("Ward head nurse")
    page.locator("#changes-0-target_on").fill((date.today() + timedelta(days=30)).isoformat())
    click_and_wait(page, page.get_by_role("button", name="Save the plan"))
    assert_fits(page, WIDTH)
    click_and_wait(page, page.get_by_role("button", name="Share with my coordinator"))

    page.goto(placement_url + "/follow-ups/3?lang=en")
    assert_fits(page, WIDTH)
    page.locator("input[type=radio][value='in_progress']").first.check()
    page.locator("textarea[name^='note-']").first.fill("Started on one ward in week two.")
    click_and_wait(page, page.get_by_role("button", name="Save the follow-up"))
    assert_fits(page, WIDTH)
    expect(page.locator("main")).to_contain_text("In progress")
