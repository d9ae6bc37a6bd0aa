"""Each demo account's home at 360 px and 1280 px: its own sections, no page overflow,
the primary action visible on the first screen's width."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits

pytestmark = pytest.mark.browser

WIDTHS = [{"width": 360, "height": 740}, {"width": 1280, "height": 800}]
# account → (a section heading it must show, headings it must not show)
HOMES = {
    "learner@example.org": ("Your learning", ["Your teaching", "Administration"]),
    "doctor@example.org": ("Your learning", ["Your teaching", "Administration"]),
    "trainer@example.org": ("Your teaching", ["Administration", "Your languages"]),
    "coordinator@example.org": ("Your institution", ["Your learning", "Administration"]),
    "funder@example.org": ("Your programmes", ["Your learning", "Your teaching"]),
    "translator@example.org": ("Your languages", ["Your learning", "Administration"]),
    "admin@example.org": ("Administration", ["Your learning", "Your teaching"]),
}


@pytest.mark.parametrize("viewport", WIDTHS, ids=lambda v: f"{v['width']}px")
@pytest.mark.parametrize("email", sorted(HOMES))
def test_each_demo_home_fits_and_shows_its_primary_action(page, sign_in, email, viewport):
    page.set_viewport_size(viewport)
    sign_in(email)
    page.goto("/?lang=en")
    shown, hidden = HOMES[email]
    expect(page.get_by_role("heading", name=shown, exact=True)).to_be_visible()
    for heading in hidden:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)
    action = page.locator("main .primary-action").first
    expect(action).to_be_visible()
    box = action.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (email, box)
    assert_fits(page, viewport["width"])


def test_the_learners_continue_button_opens_a_lesson(page, sign_in):
    sign_in("learner@example.org")
    page.goto("/?lang=en")
    page.locator("main .continue .primary-action").click()
    expect(page).to_have_url(re.compile(r"/courses/[^/]+/(lessons|quizzes)/"))


@pytest.mark.parametrize("viewport", WIDTHS, ids=lambda v: f"{v['width']}px")
def test_the_catalog_shows_each_course_as_a_card_with_its_colour(page, sign_in, viewport):
    page.set_viewport_size(viewport)
    sign_in("doctor@example.org")
    page.goto("/courses/?audience=all&lang=en")
    cards = page.locator(".course-card")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 4
    expect(page.locator(".course-card.tint-teal .course-icon").first).to_be_visible()
    band = page.locator(".course-card.tint-teal").first.evaluate(
        "card => getComputedStyle(card).borderTopColor"
    )
    assert band == "rgb(11, 93, 91)"  # the palette's teal
    assert_fits(page, viewport["width"])
