"""A published protocol translated and adopted, on a 360 px phone (issue 19): a Chinese
translator opens the version's page among the translators' documents, translates its
dose lines, and the protocol then reads in Chinese; the Beijing coordinator records that
her hospital adopted it, with whom to ask."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from app.auth.models import Role
from app.extensions import db
from tests.browser.conftest import LIVE
from tests.browser.helpers import assert_fits, click_and_wait
from tests.factories import make_programme, make_user
from tests.protocols.factories_translation import make_protocol, make_version

pytestmark = pytest.mark.browser
WIDTH = 360
SLUG = "browser-breakthrough-pain"
DOSE = "Morphine 2.5 mg SC every 4 hours as needed."
DOSE_ZH = "吗啡 2.5 mg 皮下注射，按需每 4 小时一次。"


@pytest.fixture
def published(live_server):
    """A published protocol (rows written as the writing part's publishing would) and a
    translator of Chinese; returns the version's id."""
    with LIVE["app"].app_context():
        version = make_version(
            make_protocol(make_programme(), slug=SLUG), effective_on=date(2026, 1, 1)
        )
        make_user(roles=[(Role.TRANSLATOR, "zh_Hans")], email="zh.translator@example.org")
        db.session.commit()
        return version.id


def _as(page, sign_in, email: str, url: str) -> None:
    page.context.clear_cookies()
    sign_in(email)
    page.goto(url)
    assert_fits(page, WIDTH)


def test_a_translator_translates_the_doses_and_a_coordinator_adopts(page, sign_in, published):
    page.set_viewport_size({"width": WIDTH, "height": 800})
    _as(page, sign_in, "zh.translator@example.org", f"/protocols/{SLUG}/current?lang=zh_Hans")
    expect(page.locator("body")).to_contain_text(DOSE)  # held back: the doses in English

    _as(page, sign_in, "zh.translator@example.org", "/translate/?lang=en")
    click_and_wait(page, page.get_by_role("link", name="Breakthrough pain at home (v1)"))
    expect(page.locator("h1")).to_contain_text("Breakthrough pain at home")
    assert_fits(page, WIDTH)
    card = page.locator("article.segment.critical", has_text=DOSE)
    card.get_by_label(re.compile("Translation into")).fill(DOSE_ZH)
    click_and_wait(page, page.get_by_role("button", name="Save the translations"))
    expect(page.get_by_role("status")).to_contain_text("saved as revision")
    expect(page.locator("main")).to_contain_text("Readers see it in this language.")

    page.goto(f"/protocols/{SLUG}/current?lang=zh_Hans")
    assert_fits(page, WIDTH)
    expect(page.locator("body")).to_contain_text(DOSE_ZH)

    _as(page, sign_in, "coordinator@example.org", f"/protocols/{SLUG}/adoption?lang=en")
    page.get_by_label("Institution").select_option(label="Beijing University Hospital")
    page.get_by_label("Adopted on").fill("2026-02-01")
    page.get_by_label("Whom to ask").select_option(label="Wang Fang")
    click_and_wait(page, page.get_by_role("button", name="Record the adoption"))
    expect(page.get_by_role("status").or_(page.locator(".flash-success"))).to_contain_text(
        "Beijing University Hospital adopted version 1."
    )
    expect(page.locator("table")).to_contain_text("Wang Fang")
