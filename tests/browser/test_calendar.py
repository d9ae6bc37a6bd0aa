"""The calendar at 360 px and 1280 px with the demo world: no page scrolls sideways, the
agenda is there on a phone, months change by keyboard and without JavaScript; the feed
page's address is made once, survives a reload without a second POST, and copies."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits, click_and_wait

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TRAINER = "trainer@example.org"  # organises the demo series and runs the Beijing workshop
SERIES = "Beijing–Singapore complex case conference"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_month_fits_and_its_agenda_lists_the_sessions(page, sign_in, size):
    page.set_viewport_size(size)
    sign_in(TRAINER)
    page.goto("/calendar?lang=en")
    expect(page.locator("table.calendar caption")).to_be_visible()
    expect(page.locator("td[aria-current=date]")).to_have_count(1)
    agenda = page.locator(".cal-agenda")
    expect(agenda.get_by_role("link", name=SERIES).first).to_be_visible()
    grid_entries = page.locator("table.calendar .cal-entries").first
    dots = page.locator("table.calendar .cal-count").first
    if size is PHONE:  # the grid keeps day numbers and dots that lead to the agenda
        expect(grid_entries).to_be_hidden()
        expect(dots).to_be_visible()
        dots.click()
        expect(page).to_have_url(re.compile(r"#day-\d{4}-\d{2}-\d{2}$"))
    else:
        expect(grid_entries).to_be_visible()
        expect(dots).to_be_hidden()
    assert_fits(page, size["width"])


@pytest.mark.parametrize("lang", ["zh_Hans", "kk", "eo"])  # eo: the longer pseudo-locale
def test_the_calendar_fits_a_phone_in_other_languages(page, sign_in, lang):
    page.set_viewport_size(PHONE)
    sign_in(TRAINER)
    for path in ("/calendar", "/conferences/calendar"):
        page.goto(f"{path}?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang.replace("_", "-"))
        expect(page.locator("table:not(.table-wrap table)")).to_have_count(0)
        assert_fits(page, PHONE["width"])


def test_months_change_by_keyboard(page, sign_in):
    page.set_viewport_size(DESKTOP)
    sign_in(TRAINER)
    page.goto("/calendar?lang=en&month=2026-03")
    expect(page.locator("table.calendar caption")).to_have_text("March 2026")
    page.locator("a[rel=next]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("table.calendar caption")).to_have_text("April 2026")
    page.get_by_role("link", name="This month").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("td[aria-current=date]")).to_have_count(1)


def test_the_calendar_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto("/login")
    page.fill("input[name=email]", TRAINER)
    page.fill("input[name=password]", "palliare-demo")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    page.goto("/calendar?lang=en&month=2026-13")
    expect(page.locator("#month-error")).to_contain_text("is not a month the calendar can show")
    page.fill("input[name=month]", "2026-05")
    click_and_wait(page, page.get_by_role("button", name="Show"))
    expect(page.locator("table.calendar caption")).to_have_text("May 2026")
    click_and_wait(page, page.locator("a[rel=prev]"))
    expect(page.locator("table.calendar caption")).to_have_text("April 2026")
    assert_fits(page, PHONE["width"])
    context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_feed_address_is_made_once_and_copied(page, live_server, sign_in, size):
    page.set_viewport_size(size)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    sign_in("doctor@example.org")  # attends the demo series
    page.goto("/conferences/calendar?lang=en")
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\bold\b"))
    click_and_wait(page, page.get_by_role("button", name="Make the address"))
    expect(page).to_have_url(re.compile(r"/conferences/calendar$"))  # a GET page now
    field = page.locator("#feed-url")
    address = field.input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar/[\w-]+\.ics", address)
    expect(page.get_by_role("link", name="Open in your calendar app")).to_have_attribute(
        "href", "webcal://" + address.removeprefix("http://")
    )
    expect(page.get_by_role("link", name="Add to Google Calendar")).to_be_visible()
    expect(page.get_by_role("link", name="Add to Outlook")).to_be_visible()
    copy = page.get_by_role("button", name="Copy the address")
    expect(copy).to_be_visible()  # the script shows it
    copy.click()
    expect(page.locator(".feed-copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == address
    field.focus()
    assert page.evaluate("document.activeElement.selectionEnd") == len(address)
    assert_fits(page, size["width"])
    page.reload()  # no "resend the form?" question: the page is a GET
    expect(page.locator("#feed-url")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("You have an address.")
    response = page.request.get(address.replace(live_server, ""))
    assert response.status == 200  # still the one address: the reload made no other
    # Stop it again, so that the demo doctor has no address for other tests.
    click_and_wait(page, page.get_by_role("button", name="Stop this address"))
    expect(page.locator("main")).to_contain_text("There is no address yet.")
