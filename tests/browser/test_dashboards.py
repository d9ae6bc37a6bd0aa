"""The demo funder sees the progress against the target, reads the chart on a phone and
on a desktop, and downloads a table as CSV; a bad filter is shown beside its field."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits, click_and_wait

pytestmark = pytest.mark.browser


def _open_the_programme_dashboard(page, sign_in) -> None:
    sign_in("funder@example.org")
    page.goto("/?lang=en")
    click_and_wait(page, page.get_by_role("link", name="Progress dashboard").first)


def test_the_funder_sees_progress_and_downloads_the_csv(page, sign_in):
    _open_the_programme_dashboard(page, sign_in)
    expect(page.locator("main .figure")).to_contain_text("of 1,000 trainees have finished")
    expect(page.locator("svg.chart-wide title").first).to_contain_text("against the target of 1000")
    expect(page.locator("#institutions table")).to_contain_text("Beijing University Hospital")
    with page.expect_download() as download_info:
        page.locator("#institutions").get_by_role("link", name="Download CSV").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("Institution,Country,Enrolled,Finished")
    assert "Beijing University Hospital" in content


@pytest.mark.parametrize("width", [360, 1280])
def test_the_chart_can_be_read_on_a_phone_and_a_desktop(page, sign_in, width):
    page.set_viewport_size({"width": width, "height": 800})
    _open_the_programme_dashboard(page, sign_in)
    narrow = width < 640
    shown = page.locator("svg.chart-narrow" if narrow else "svg.chart-wide")
    expect(shown).to_be_visible()
    expect(page.locator("svg.chart-wide" if narrow else "svg.chart-narrow")).to_be_hidden()
    target = shown.locator(".chart-target-label")
    expect(target).to_have_text("Target: 1,000")
    expect(shown.locator("text.chart-label", has_text=re.compile(r"^1,000$"))).to_have_count(1)
    expect(shown.locator("text.chart-label", has_text=re.compile(r"^0$"))).to_have_count(1)
    months = page.locator("#months tbody tr th")
    if months.count() and months.first.inner_text() != "No data.":
        expect(shown.locator("tspan").first).to_be_visible()  # month labels under the bars
    box = shown.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert target.bounding_box()["height"] >= 10  # type a person can read at this width
    expect(page.locator("#months table")).to_be_attached()  # the figures as a table too
    assert_fits(page, width)


def test_months_out_of_order_are_shown_beside_the_field(page, sign_in):
    page.set_viewport_size({"width": 360, "height": 800})
    _open_the_programme_dashboard(page, sign_in)
    page.fill("#f-since", "2026-07")
    page.fill("#f-until", "2026-03")
    click_and_wait(page, page.get_by_role("button", name="Apply"))
    expect(page.locator("#f-since-error")).to_contain_text("from-month is after the to-month")
    expect(page.locator("#f-since")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-until")).to_have_value("2026-03")  # the other field kept
    expect(page.locator("h1")).to_be_visible()
    assert_fits(page, 360)
