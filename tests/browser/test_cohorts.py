"""A trainer runs a cohort from the browser: create it, enrol a roster (a bad row first),
and see a learner's progress appear in the matrix; remove a learner (asked first, then
undone) and see a reminder before sending it."""

import re
from datetime import date, timedelta
from email.header import decode_header, make_header

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits, click_and_wait
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
    # The cell holds no text: its class draws the mark, and the language's small stylesheet
    # gives the words a screen reader says (what Chromium's accessibility tree holds).
    done = row.locator("td.c2").first
    expect(done).to_have_text("")
    expect(done).to_have_accessible_name("done")
    expect(row.locator("td.c0").first).to_have_accessible_name("not started")
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    cells = [n for n in tree if n.get("role", {}).get("value") == "cell"]
    names = [n.get("name", {}).get("value") for n in cells]
    assert "done" in names and "not started" in names


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


def _open_a_cohort_with_learners(page) -> None:
    page.goto("/cohorts/?lang=en")
    rows = page.locator("main table tbody tr").filter(has_not_text=re.compile(r"\b0 / "))
    click_and_wait(page, rows.first.get_by_role("link"))
    expect(page.locator("#matrix tbody tr").first).to_be_visible()


def test_removing_a_learner_asks_first_and_can_be_undone(page, sign_in):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in("trainer@example.org")
    _open_a_cohort_with_learners(page)
    first = page.locator("#matrix tbody tr").first
    name = first.locator("th label").inner_text()
    first.locator("input[type=checkbox]").check()
    click_and_wait(page, page.get_by_role("button", name="Remove the selected learners"))

    expect(page.locator("h1")).to_have_text("Remove 1 learner from the cohort?")
    expect(page.locator("#to-remove")).to_contain_text(name)
    assert_fits(page, 360)
    click_and_wait(page, page.get_by_role("button", name="Remove 1 learner"))

    expect(page.locator(".flashes")).to_contain_text("1 learner removed from the cohort.")
    undo = page.locator("#undo")
    expect(undo).to_contain_text(name)
    expect(page.locator("#matrix th label", has_text=name)).to_have_count(0)
    assert_fits(page, 360)
    click_and_wait(page, undo.get_by_role("button", name="Undo: put them back"))

    expect(page.locator(".flashes")).to_contain_text("1 learner is back in the cohort")
    expect(page.locator("#matrix th label", has_text=name)).to_have_count(1)
    expect(page.locator("#undo")).to_have_count(0)


def test_a_reminder_is_seen_before_it_is_sent(page, sign_in, smtp_server):
    sign_in("trainer@example.org")
    _open_a_cohort_with_learners(page)
    first = page.locator("#matrix tbody tr").first
    first.locator("input[type=checkbox]").check()
    click_and_wait(page, page.get_by_role("button", name="Send a reminder to the selected"))
    expect(page.locator("h1")).to_have_text("Check the reminder before sending it")
    preview = page.locator(".mail-preview").first
    expect(preview.locator("pre.mail-body")).to_contain_text("/cohorts/")  # the link in it
    subject = preview.locator(".facts dd").inner_text()
    button = page.get_by_role("button", name=re.compile("^Send the reminder to 1 learner"))
    if button.count():  # not reminded yet today on this server
        count = len(smtp_server.messages)
        click_and_wait(page, button)
        expect(page.locator(".flashes")).to_contain_text("Reminder queued for 1 learner.")
        message = wait_for_mail(smtp_server.messages, count=count + 1)[-1]
        assert subject in str(make_header(decode_header(message["Subject"])))


def test_the_matrix_pages_and_filters_by_keyboard_at_360_px(page, sign_in, monkeypatch):
    """Pages of 2 learners here (100 in use): the page links and the filter form work from
    the keyboard, keep the filters, and the page fits a phone."""
    monkeypatch.setattr("app.cohorts.views.PAGE_SIZE", 2)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in("trainer@example.org")
    page.goto("/cohorts/?lang=en")
    rows = page.locator("main table tbody tr")
    counts = [int(t.split("/")[0]) for t in rows.locator("td.num").all_inner_texts()]
    assert max(counts) >= 3, counts  # the demo's largest cohort
    click_and_wait(page, rows.nth(counts.index(max(counts))).get_by_role("link"))
    caption = page.locator("#matrix caption")
    expect(caption).to_contain_text("Page 1 of")
    first_names = page.locator("#matrix tbody th label").all_inner_texts()
    assert len(first_names) == 2
    assert_fits(page, 360)
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(caption).to_contain_text("Page 2 of")
    expect(page.locator("#matrix tbody th label").first).not_to_have_text(first_names[0])
    expect(page.locator('.pager a[aria-current="page"]')).to_have_text("2")
    # The status filter from the keyboard: choose, then Enter on Apply; page 1 again.
    page.locator("#f-status").focus()
    page.select_option("#f-status", "not_started")
    page.locator(".filters button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "status=not_started" in page.url and "page=" not in page.url
    expect(page.locator("#f-status")).to_have_value("not_started")
    next_link = page.locator('.pager a[rel="next"]')
    if next_link.count():  # the filter rides along in the page links
        assert "status=not_started" in next_link.get_attribute("href")
    assert_fits(page, 360)
