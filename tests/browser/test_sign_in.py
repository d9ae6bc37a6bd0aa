"""Signing in and out, the language switcher and the keyboard, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GENERIC_ERROR = "The e-mail address or password is not correct."


def test_learner_signs_in_switches_to_kazakh_and_signs_out(page, sign_in):
    """The demo learner signs in, switches the interface to Kazakh, then signs out."""
    sign_in("learner@example.org")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_have_text("Welcome, Aigerim Nurlanovna")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("header select[name=lang]").select_option("kk")
    page.locator("header").get_by_role("button", name="Change").click()
    expect(page).to_have_url(re.compile(r"/\?lang=kk$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("h1")).to_contain_text("Aigerim Nurlanovna")
    sign_out = page.get_by_role("button", name="Шығу", exact=True)  # "Sign out" in Kazakh

    sign_out.click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.get_by_role("button", name="Шығу")).to_have_count(0)


def test_failed_sign_in_shows_one_generic_message(page, sign_in):
    """A wrong password and an unknown address get the same message, on the sign-in page."""
    for email, password in [
        ("learner@example.org", "not-the-password"),
        ("nobody@example.org", "palliare-demo"),
    ]:
        sign_in(email, password)
        expect(page.get_by_role("alert")).to_have_text(GENERIC_ERROR)
        expect(page).to_have_url(re.compile(r"/login$"))
        expect(page.locator("input[name=email]")).to_have_value(email)
        expect(page.locator("input[name=password]")).to_have_value("")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    """From a fresh page, Tab reaches the (now visible) skip link; Enter focuses <main>."""
    page.goto("/")
    expect(page.locator("main")).to_be_attached()
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    assert skip_link.bounding_box()["x"] >= 0, "the focused skip link is off screen"

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the content, not the header
    expect(page.locator("main :focus")).to_have_count(1)


def test_sign_in_with_the_keyboard_only(page):
    """The sign-in form can be reached, filled and submitted without a mouse."""
    page.goto("/login")
    expect(page.locator("input[name=email]")).to_be_visible()
    for key in ["Tab", "Enter", "Tab"]:  # skip link, into <main>, the first field
        page.keyboard.press(key)
    expect(page.locator("input[name=email]")).to_be_focused()
    page.keyboard.type("trainer@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("input[name=password]")).to_be_focused()
    page.keyboard.type("palliare-demo")
    page.keyboard.press("Tab")
    expect(page.locator("input[name=remember]")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("input[name=remember]")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("main form button[type=submit]")).to_be_focused()

    page.keyboard.press("Enter")
    # The browser keeps the skip link's #main across the redirect (Location has none).
    expect(page).to_have_url(re.compile(r"/(#main)?$"))
    expect(page.locator("h1")).to_have_text("Welcome, Dr Rajesh Kumar")
