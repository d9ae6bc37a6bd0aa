"""The phone-first header, tables that scroll in place and dark mode, at 360 px and 1280 px."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 740}
# Distinct line tops of an element's text: one line means no wrapping inside the label.
# The lines a label's visible text takes: text for screen readers only (.visually-hidden,
# e.g. "(1 unread notification)") is laid out off the line and does not count.
# Lines of a label's visible text: its text boxes grouped where they overlap vertically
# (a count badge sits a little higher or lower than the words beside it, on one line).
TEXT_LINES = """element => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const boxes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(".visually-hidden")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 0) boxes.push([r.top, r.bottom]);
  }
  boxes.sort((a, b) => a[0] - b[0]);
  let lines = 0, bottom = -Infinity;
  for (const [top, end] of boxes) {
    if (top >= bottom - 1) { lines += 1; bottom = end; } else { bottom = Math.max(bottom, end); }
  }
  return lines;
}"""
SHORT_LABELS = [".menu-label", ".language label", ".language button", ".main-nav a", ".brand"]


def test_the_phone_header_is_compact_and_the_menu_works_by_keyboard(page, sign_in):
    page.set_viewport_size(PHONE)
    sign_in("admin@example.org")
    page.goto("/?lang=en")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 0.12 * PHONE["height"], header
    courses = page.locator(".main-nav").get_by_role("link", name="Courses")
    expect(courses).to_be_hidden()  # closed: the menu takes no room
    menu_button = page.locator("summary.menu-button")
    menu_button.focus()
    page.keyboard.press("Enter")
    expect(courses).to_be_visible()
    expect(page.locator("header select[name=lang]")).to_be_visible()  # the language, inside
    assert_fits(page, PHONE["width"])
    page.keyboard.press("Tab")  # into the open menu
    expect(page.locator(".main-nav a").first).to_be_focused()
    page.keyboard.press("Escape")  # the script's enhancement: close, focus the button
    expect(courses).to_be_hidden()
    expect(menu_button).to_be_focused()
    page.keyboard.press("Space")  # the browser's own toggle, without any script
    expect(courses).to_be_visible()
    courses.click()
    expect(page.locator("h1")).to_be_visible()
    expect(courses).to_be_hidden()  # a new page starts with the menu closed


def test_the_menu_works_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server, java_script_enabled=False, viewport=PHONE, locale="en-GB"
    )
    page = context.new_page()
    page.goto("/login?lang=en")
    page.locator("summary.menu-button").click()
    page.locator("header select[name=lang]").select_option("ru")
    page.locator("header button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    context.close()


def test_a_wide_screen_shows_the_menu_inline(page, sign_in):
    page.set_viewport_size(DESKTOP)
    sign_in("learner@example.org")
    page.goto("/?lang=en")
    expect(page.locator("summary.menu-button")).to_be_hidden()
    expect(page.locator(".main-nav").get_by_role("link", name="Courses")).to_be_visible()
    expect(page.locator("header select[name=lang]")).to_be_visible()
    assert page.locator(".site-header").bounding_box()["height"] <= 0.12 * DESKTOP["height"]
    assert_fits(page, DESKTOP["width"])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_chinese_header_labels_keep_to_one_line(page, sign_in, viewport):
    """ "语言" (language) and "切换" (change) once stood one character per line."""
    page.set_viewport_size(viewport)
    sign_in("admin@example.org")
    page.goto("/?lang=zh_Hans")
    menu_button = page.locator("summary.menu-button")
    if menu_button.is_visible():
        menu_button.click()
    wrapped = {}
    for selector in SHORT_LABELS:
        for label in page.locator(selector).all():
            if label.is_visible() and (lines := label.evaluate(TEXT_LINES)) > 1:
                wrapped[label.inner_text()] = lines
    assert not wrapped, wrapped
    assert_fits(page, viewport["width"])


def test_a_wide_table_scrolls_in_its_wrapper_with_its_key_column_in_view(page, sign_in):
    page.set_viewport_size(PHONE)
    sign_in("admin@example.org")
    page.goto("/admin/users?lang=en")
    wrapper = page.locator(".table-wrap").first
    sizes = wrapper.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert sizes[0] > sizes[1], "the users table should be wider than a phone"
    assert_fits(page, PHONE["width"])  # the wrapper scrolls, not the page
    key = wrapper.locator("tbody tr").first.locator("td, th").first
    second = wrapper.locator("tbody tr").first.locator("td").nth(1)
    before = (key.bounding_box()["x"], second.bounding_box()["x"])
    wrapper.evaluate("w => { w.scrollLeft = 150; }")
    page.wait_for_function("document.querySelector('.table-wrap').scrollLeft > 0")
    assert key.bounding_box()["x"] == pytest.approx(before[0], abs=1)  # stays in view
    assert second.bounding_box()["x"] < before[1] - 100  # the rest moves
    caption = wrapper.locator("caption")
    assert caption.bounding_box()["width"] <= PHONE["width"]  # read whole, not clipped


@pytest.mark.parametrize(
    ("scheme", "background", "ink"),
    [
        ("light", "rgb(255, 255, 255)", "rgb(29, 36, 51)"),
        ("dark", "rgb(20, 24, 31)", "rgb(230, 233, 239)"),
    ],
)
def test_dark_mode_follows_the_system(browser, live_server, scheme, background, ink):
    context = browser.new_context(base_url=live_server, color_scheme=scheme, viewport=PHONE)
    page = context.new_page()
    page.goto("/login?lang=en")
    expect(page.locator("body")).to_have_css("background-color", background)
    expect(page.locator("body")).to_have_css("color", ink)
    expect(page.locator("input[name=email]")).to_have_css("background-color", background)
    expect(page.locator('meta[name="color-scheme"]')).to_have_attribute("content", "light dark")
    context.close()


def test_the_footer_links_to_verification_for_visitors(page):
    page.set_viewport_size(PHONE)
    page.goto("/login?lang=en")
    page.locator("footer").get_by_role("link", name="Verify a certificate").click()
    expect(page).to_have_url(f"{page.url.split('/verify')[0]}/verify/")
    expect(page.locator("input[name=code]")).to_be_visible()
