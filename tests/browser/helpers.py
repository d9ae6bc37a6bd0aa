"""Waiting helpers for the browser tests: never read a page before it is there.

Playwright's ``expect(...)`` waits by itself; ``page.evaluate`` and ``locator.all()`` /
``count()`` do not, and a click that submits a form returns before the next page loads
(a ``goto`` right after it may even cancel the submission). These close those gaps.
"""

from playwright.sync_api import Locator, Page, expect


def click_and_wait(page: Page, target: Locator) -> None:
    """Click ``target`` (a submit button, a link) and wait until the page it leads to
    has loaded, redirects included."""
    with page.expect_navigation(wait_until="load"):
        target.click()


def document_width(page: Page) -> int:
    """The page's scroll width, measured once it has loaded and has a body."""
    page.wait_for_load_state("load")
    page.wait_for_function("document.body !== null && document.readyState === 'complete'")
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits(page: Page, width: int) -> None:
    """The loaded page is no wider than ``width`` (nothing scrolls sideways)."""
    assert document_width(page) <= width, page.url


def all_of(locator: Locator, count: int) -> list[Locator]:
    """``locator.all()``, once exactly ``count`` of them are on the page."""
    expect(locator).to_have_count(count)
    return locator.all()
