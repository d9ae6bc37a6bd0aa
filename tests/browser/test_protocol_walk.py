"""One protocol from first words to adoption, on a 360 px phone (issue 19): a trainer
writes a protocol with a dose section and names a Beijing reviewer; the reviewer
comments on a section and proposes a change; the author accepts it; the reviewer
approves the draft as it then stands; the author publishes it, and version 1 shows with
its approver and downloads as a PDF. A Chinese translator then finds it among the
translators' documents, held back until its dose line is translated, translates it, and
the protocol reads in Chinese; the Beijing coordinator records that her hospital adopted
it, with whom to ask."""

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.auth.models import Role
from app.extensions import db
from tests.browser.conftest import LIVE
from tests.browser.helpers import assert_fits, click_and_wait
from tests.factories import make_user

pytestmark = pytest.mark.browser
WIDTH = 360
TITLE = "Comfort at home in the last days"
SLUG = "comfort-at-home-in-the-last-days"
DOSE_LINE = "Morphine 2.5 mg SC every 4 hours as needed."
DOSE = f"::: dose\n{DOSE_LINE}\n:::"
DOSE_ZH = "吗啡 2.5 mg 皮下注射，按需每 4 小时一次。"
TRANSLATOR = "zh.translator@example.org"


@pytest.fixture
def zh_translator(live_server):
    """A translator of Chinese (the demo's translator works in Kazakh and Russian)."""
    with LIVE["app"].app_context():
        make_user(roles=[(Role.TRANSLATOR, "zh_Hans")], email=TRANSLATOR)
        db.session.commit()


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
        ("Breakthrough pain", DOSE),
    ):
        click_and_wait(page, page.get_by_role("link", name="Add a section"))
        assert_fits(page, WIDTH)
        page.get_by_label("Heading").fill(heading)
        page.get_by_label("Text").fill(body)
        click_and_wait(page, page.get_by_role("button", name="Save the section"))
    expect(page.locator("#s-breakthrough-pain aside.callout-dose")).to_contain_text("Morphine")
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


def test_a_protocol_is_written_reviewed_published_translated_and_adopted(
    page, sign_in, zh_translator
):
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
    expect(page.locator("aside.callout-dose")).to_contain_text("Morphine")
    assert "/v/1" in page.url
    assert_fits(page, WIDTH)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    _translate(page, sign_in)
    _adopt(page, sign_in)


def _translate(page, sign_in) -> None:
    """Held back in Chinese until the dose line is translated; then read in Chinese."""
    _as(page, sign_in, TRANSLATOR, f"/protocols/{SLUG}/current?lang=zh_Hans")
    expect(page.locator("body")).to_contain_text(DOSE_LINE)  # held back: doses in English
    _as(page, sign_in, TRANSLATOR, "/translate/?lang=en")
    click_and_wait(page, page.get_by_role("link", name=f"{TITLE} (v1)"))
    assert_fits(page, WIDTH)
    card = page.locator("article.segment.critical", has_text=DOSE_LINE)
    card.get_by_label(re.compile("Translation into")).fill(DOSE_ZH)
    click_and_wait(page, page.get_by_role("button", name="Save the translations"))
    expect(page.get_by_role("status")).to_contain_text("saved as revision")
    expect(page.locator("main")).to_contain_text("Readers see it in this language.")
    page.goto(f"/protocols/{SLUG}/current?lang=zh_Hans")
    assert_fits(page, WIDTH)
    expect(page.locator("body")).to_contain_text(DOSE_ZH)


def _adopt(page, sign_in) -> None:
    _as(page, sign_in, "coordinator@example.org", f"/protocols/{SLUG}/adoption?lang=en")
    page.get_by_label("Institution").select_option(label="Beijing University Hospital")
    page.get_by_label("Adopted on").fill(date.today().isoformat())  # effective from today
    page.get_by_label("Whom to ask").select_option(label="Wang Fang")
    click_and_wait(page, page.get_by_role("button", name="Record the adoption"))
    expect(page.get_by_role("status").or_(page.locator(".flash-success"))).to_contain_text(
        "Beijing University Hospital adopted version 1."
    )
    expect(page.locator("table")).to_contain_text("Wang Fang")
