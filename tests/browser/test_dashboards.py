"""The demo funder sees the progress against the target and downloads a table as CSV."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_funder_sees_progress_and_downloads_the_csv(page, sign_in):
    sign_in("funder@example.org")
    page.goto("/?lang=en")
    page.get_by_role("link", name="Progress dashboard").first.click()
    expect(page.locator("main .figure")).to_contain_text("of 1,000 trainees have finished")
    expect(page.locator("svg.chart #chart-title")).to_contain_text("against the target of 1000")
    expect(page.locator("#institutions table")).to_contain_text("Beijing University Hospital")
    with page.expect_download() as download_info:
        page.locator("#institutions").get_by_role("link", name="Download CSV").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("Institution,Country,Enrolled,Finished")
    assert "Beijing University Hospital" in content
