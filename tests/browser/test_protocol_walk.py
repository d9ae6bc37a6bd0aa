"""One protocol from first words to version 1, on a 360 px phone (issue 19): a Singapore
trainer writes a protocol with a dose section and names a Beijing reviewer; the reviewer
comments on a section and proposes a change; the author accepts it; the reviewer
approves the draft as it then stands; the author publishes it, and version 1 shows with
its approver and downloads as a PDF. (Translation and adoption are added by their parts.)"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits, click_and_wait

pytestmark = pytest.mark.browser
WIDTH = 360
TITLE = "Mouth care in the last days of life"
DOSE = "::: dose\nChlorhexidine mouthwash 10 mL twice daily, if local policy allows.\n:::"


def _as(page, sign_in, email: str, url: str) -> None:
    page.context.clear_cookies()
    sign_in(email)
    page.goto(url + ("&" if "?" in url else "?") + "lang=en")
    assert_fits(page, WIDTH)


def _write(page, sign_in) -> str:
    """The author creates the protocol, writes two sections, names a reviewer."""
    _as(page, sign_in, "trainer@example.org", "/protocols/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Programme").select_option(
        label="Beijing Palliative Care Train-the-Trainer Programme"
    )
    page.get_by_label("Review by").fill("2028-12-31")
    page.get_by_label("Scope", exact=True).fill("Adults who can no longer drink.")
    click_and_wait(page, page.get_by_role("button", name="Create the protocol"))
    draft_url = page.url.split("?")[0].split("#")[0]
    for heading, body in (
        ("Daily care", "Moisten the mouth every hour while awake."),
        ("Infection", DOSE),
    ):
        click_and_wait(page, page.get_by_role("link", name="Add a section"))
        assert_fits(page, WIDTH)
        page.get_by_label("Heading").fill(heading)
        page.get_by_label("Text").fill(body)
        click_and_wait(page, page.get_by_role("button", name="Save the section"))
    expect(page.locator("#s-infection aside.callout-dose")).to_contain_text("Chlorhexidine")
    page.get_by_label("Reviewer's e-mail address").fill("liu.yang@example.org")
    click_and_wait(page, page.get_by_role("button", name="Name a reviewer"))
    expect(page.locator("#reviewers")).to_contain_text("Liu Yang")
    assert_fits(page, WIDTH)
    return draft_url


def _review(page, sign_in, draft_url: str) -> None:
    _as(page, sign_in, "liu.yang@example.org", draft_url)
    page.get_by_label("Comment on “Daily care”").fill("Families can help with this.")
    click_and_wait(page, page.locator("#s-daily-care").get_by_role("button", name="Comment"))
    expect(page.locator("#s-daily-care .comments")).to_contain_text("Families can help")
    click_and_wait(page, page.locator("#s-daily-care").get_by_role("link", name="Propose"))
    assert_fits(page, WIDTH)
    page.get_by_label("Proposed text").fill(
        "Moisten the mouth every hour while awake; show the family how."
    )
    page.get_by_label("Why").fill("Families want to help.")
    click_and_wait(page, page.get_by_role("button", name="Send the proposal"))
    expect(page.locator("#s-daily-care .proposal")).to_contain_text("show the family how")


def test_a_protocol_is_written_reviewed_and_published(page, sign_in):
    page.set_viewport_size({"width": WIDTH, "height": 740})
    draft_url = _write(page, sign_in)
    _review(page, sign_in, draft_url)

    _as(page, sign_in, "trainer@example.org", draft_url)
    click_and_wait(page, page.locator("#s-daily-care").get_by_role("button", name="Accept"))
    expect(page.locator("#s-daily-care .lesson-body")).to_contain_text("show the family how")

    _as(page, sign_in, "liu.yang@example.org", draft_url)
    click_and_wait(page, page.get_by_role("button", name="Approve this draft as it stands"))
    expect(page.locator("#approvals")).to_contain_text("Liu Yang")

    _as(page, sign_in, "trainer@example.org", draft_url)
    click_and_wait(page, page.get_by_role("link", name="Publish…"))
    assert_fits(page, WIDTH)
    page.get_by_label("Change log").fill("First version.")
    click_and_wait(page, page.get_by_role("button", name="Publish", exact=True))
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("1")
    expect(facts).to_contain_text("Liu Yang (Beijing University Hospital)")
    expect(page.locator("aside.callout-dose")).to_contain_text("Chlorhexidine")
    assert "/v/1" in page.url
    assert_fits(page, WIDTH)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
