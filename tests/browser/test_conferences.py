"""A clinician submits a case containing an IIN, sees the refusal pointing at it, fixes
it and submits; the organiser puts it on the agenda."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import click_and_wait

pytestmark = pytest.mark.browser

SERIES = "Beijing–Singapore complex case conference"
CASE = {
    "diagnosis": "Metastatic lung cancer, brain metastases.",
    "symptoms_and_medicines": "Headache and vomiting; dexamethasone 8 mg daily.",
    "context": "Lives with her son. IIN 900101350011 is on the referral letter.",
    "goals_of_care": "Stay at home with her family.",
    "question": "How long should we continue dexamethasone?",
}


def _open_series(page):
    page.goto("/conferences/?lang=en")  # Liu Yang reads Chinese; this test reads English
    page.get_by_role("link", name=SERIES).click()
    expect(page.locator("h1")).to_have_text(SERIES)


def test_a_case_with_an_iin_is_refused_then_accepted(page, browser, live_server, sign_in):
    sign_in("liu.yang@example.org")  # a participant of the demo series
    _open_series(page)
    page.get_by_role("link", name="Submit a case").first.click()
    page.select_option("select[name=age_band]", "60-69")
    page.select_option("select[name=sex]", "female")
    for name, text in CASE.items():
        page.fill(f"textarea[name={name}]", text)
    page.get_by_role("button", name="Check and submit").click()
    refusal = page.locator("#identifiers")
    expect(refusal).to_contain_text("900101350011")
    expect(refusal.locator("mark")).to_have_text("900101350011")
    page.fill("textarea[name=context]", "Lives with her son, who is her main carer.")
    page.get_by_role("button", name="Check and submit").click()
    expect(page.locator(".flashes")).to_contain_text("Case submitted")
    case_url = page.url

    organiser = browser.new_context(base_url=live_server, locale="en-GB").new_page()
    organiser.goto("/login")
    organiser.fill("input[name=email]", "trainer@example.org")
    organiser.fill("input[name=password]", "palliare-demo")
    click_and_wait(organiser, organiser.locator("main form button[type=submit]"))
    organiser.goto(re.sub(r"^https?://[^/]+", "", case_url))
    organiser.get_by_role("button", name="Put on the agenda").click()
    expect(organiser.locator("main")).to_contain_text("On the agenda")
    organiser.context.close()
