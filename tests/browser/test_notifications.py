"""The demo doctor's notifications in the browser, at 360 px and 1280 px: the list (their
certificate was issued when the demo completed their course), opening one, and choosing
how they are told, with the keyboard."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits, click_and_wait

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_the_list_opens_a_notification_and_leads_to_the_preferences(page, sign_in, width):
    page.set_viewport_size({"width": width, "height": 740})
    sign_in("doctor@example.org")
    page.goto("/notifications/")
    expect(page.locator("h1")).to_have_text("Notifications")
    notice = page.locator("li.notice", has_text="Certificate issued").first
    expect(notice).to_be_visible()
    assert_fits(page, width)

    click_and_wait(page, notice.get_by_role("link"))
    assert "/certificates/PAL-" in page.url  # the certificate itself
    page.goto("/notifications/")
    expect(page.locator("li.notice", has_text="Certificate issued").first).not_to_have_class(
        "notice unread"
    )

    click_and_wait(page, page.get_by_role("link", name="Choose how you are told"))
    assert_fits(page, width)
    group = page.get_by_role("group", name="Your certificates issued, revoked or reinstated")
    group.get_by_label("In the app and by e-mail").focus()
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys
    expect(group.get_by_label("In the app only")).to_be_checked()
    page.get_by_role("button", name="Save").focus()
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Your choices are saved")
    expect(
        page.get_by_role(
            "group", name="Your certificates issued, revoked or reinstated"
        ).get_by_label("In the app only")
    ).to_be_checked()
    # Put it back: the live server is shared by the whole run.
    page.get_by_role("group", name="Your certificates issued, revoked or reinstated").get_by_label(
        "In the app and by e-mail"
    ).check()
    click_and_wait(page, page.get_by_role("button", name="Save"))
