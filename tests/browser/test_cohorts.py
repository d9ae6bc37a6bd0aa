"""A trainer runs a cohort from the browser: create it, enrol a roster (a bad row first),
and see a learner's progress appear in the matrix."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import click_and_wait
from tests.mail import body_text, wait_for_mail

pytestmark = pytest.mark.browser

NEWCOMER = "newcomer.browser@example.org"


def _roster(rows: list[str]) -> dict:
    text = "email,name,profession,institution\n" + "".join(row + "\n" for row in rows)
    return {"name": "roster.csv", "mimeType": "text/csv", "buffer": text.encode()}


def _create_cohort(page) -> str:
    page.goto("/cohorts/new")
    page.fill("input[name=name]", "Browser cohort, Singapore")
    page.select_option("select[name=institution]", label="Singapore Palliative Care Centre")
    page.get_by_label(re.compile("^Teaching palliative care")).check()
    page.select_option("select[name=locale]", "en")
    page.fill("input[name=starts_on]", date.today().isoformat())
    page.fill("input[name=ends_on]", (date.today() + timedelta(days=90)).isoformat())
    page.fill("input[name=capacity]", "25")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Browser cohort, Singapore")
    return page.url


def test_trainer_runs_a_cohort_end_to_end(page, browser, live_server, sign_in, smtp_server):
    sign_in("trainer@example.org")
    cohort_url = _create_cohort(page)

    page.get_by_role("link", name="Enrol from a roster (CSV)").click()
    bad = [f"{NEWCOMER},New Comer,nurse,", "not-an-address,Wrong Row,nurse,"]
    page.set_input_files("input[name=roster]", _roster(bad))
    page.get_by_role("button", name="Check and enrol").click()
    problems = page.locator("#roster-problems")
    expect(problems).to_contain_text("Nothing was imported")
    expect(problems.locator("tr", has_text="not-an-address")).to_contain_text("3")

    # Chen Jing has an account at Beijing University Hospital, where the Singapore trainer
    # runs cohorts (the two share a programme): she is enrolled at once.
    good = [f"{NEWCOMER},New Comer,nurse,", "chen.jing@example.org,Chen Jing,social_worker,"]
    page.set_input_files("input[name=roster]", _roster(good))
    page.get_by_role("button", name="Check and enrol").click()
    expect(page.locator(".flashes")).to_contain_text("1 learner enrolled")
    expect(page.locator("#matrix")).to_contain_text("Chen Jing")
    expect(page.locator("main")).to_contain_text(NEWCOMER)  # invited, not joined yet

    message = next(m for m in wait_for_mail(smtp_server.messages, count=1) if m["To"] == NEWCOMER)
    link = re.search(r"https?://\S+/join/\S+", body_text(message)).group(0)
    _newcomer_completes_the_first_module(browser, live_server, link)

    page.goto(cohort_url)
    row = page.locator("#matrix tbody tr", has_text="New Comer")
    expect(row.locator("td.c2").first).to_contain_text("done")


def _newcomer_completes_the_first_module(browser, live_server, link: str) -> None:
    context = browser.new_context(base_url=live_server, locale="en-GB")
    learner = context.new_page()
    learner.goto(link.replace("http://palliare.test", live_server))
    learner.fill("input[name=name]", "New Comer")
    learner.select_option("select[name=profession]", "nurse")
    learner.fill("input[name=password]", "a good long password")
    learner.fill("input[name=confirm]", "a good long password")
    click_and_wait(learner, learner.locator("main form button[type=submit]"))
    learner.goto("/courses/teaching-palliative-care")
    lessons = learner.locator("main .modules > li").first.locator(".lessons a")
    expect(lessons.first).to_be_visible()
    for index in range(lessons.count()):
        learner.goto("/courses/teaching-palliative-care")
        click_and_wait(learner, lessons.nth(index))
        click_and_wait(learner, learner.get_by_role("button", name="Mark as complete"))
    context.close()
