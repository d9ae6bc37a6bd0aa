"""Small screens: no page scrolls sideways at 360 px, in English or in (longer) Kazakh.

Set ``PALLIARE_SCREENSHOTS=/some/dir`` to keep a full-page screenshot of every page seen.
"""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import document_width

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PUBLIC_PAGES = ["/", "/login", "/verify/"]
COURSE = "/courses/foundations-of-palliative-care"
ADMIN_PAGES = [
    "/",
    "/admin/users",
    "/admin/institutions",
    "/admin/queue",
    "/profile",
    "/invitations",
    "/courses/",
    COURSE,
    f"{COURSE}/lessons/breakthrough-pain-and-conversions",
    # The demo's first cohort is the Beijing train-the-trainer cohort with its workshop.
    "/cohorts/",
    "/cohorts/1",
    "/cohorts/1/roster",
    "/workshops/1",
    "/workshops/sessions/1/attendance",
    "/trainers/",
    "/cascade",
    "/conferences/",
    "/conferences/1",
    "/conferences/1/cases/new",
    "/conferences/cases/1",
    "/conferences/calendar",
    "/certificates/",
    "/dashboards/programmes/1",
    "/dashboards/programmes/1?institution=1&since=2025-01",
    "/dashboards/institutions/1",
    "/dashboards/cohorts",
    "/dashboards/tokens",
    "/translate/",
    "/translate/kk/foundations-of-palliative-care",
]


@pytest.mark.parametrize("lang", ["en", "kk", "ar", "eo"])  # eo: the pseudo-locale
def test_pages_fit_a_360_px_screen(page, sign_in, lang):
    """The document is never wider than the screen; only a .table-wrap may scroll."""
    page.set_viewport_size(PHONE)
    widths = {f"{path} (visitor)": _width(page, path, lang, "visitor") for path in PUBLIC_PAGES}
    sign_in("admin@example.org")
    widths |= {f"{path} (admin)": _width(page, path, lang, "admin") for path in ADMIN_PAGES}
    too_wide = {name: width for name, width in widths.items() if width > PHONE["width"]}
    assert not too_wide, f"pages wider than {PHONE['width']} px: {too_wide}"
    if lang == "ar":  # right to left: the menu starts at the right edge
        page.goto("/?lang=ar")
        expect(page.locator("body")).to_have_css("direction", "rtl")
        page.locator("summary.menu-button").click()  # the phone's menu opens
        brand, button = (
            page.locator(".brand").bounding_box(),
            page.locator("summary").bounding_box(),
        )
        assert brand["x"] > button["x"]  # the brand at the right, the menu button at the left
        items = page.locator(".main-nav li")
        expect(items.nth(1)).to_be_visible()
        first, second = items.nth(0).bounding_box(), items.nth(1).bounding_box()
        assert first["x"] > second["x"] or first["y"] < second["y"]


def _width(page, path: str, lang: str, who: str) -> int:
    """Open ``path`` in ``lang``, check its tables are wrapped, and measure its width."""
    page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("table:not(.table-wrap table)")).to_have_count(0)
    if directory := os.environ.get("PALLIARE_SCREENSHOTS"):
        slug = path.strip("/").replace("/", "-")[-40:] or "home"
        name = f"palliare-360-{lang}-{who}-{slug}.png"
        page.screenshot(path=os.path.join(directory, name), full_page=True)
    return document_width(page)
