"""The demo at full size in the browser: the funder opens the Beijing programme and sees
hundreds finished, a chart with a bar per month, and the eight Beijing institutions; at
360 px and at 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from app.demo.beijing import INSTITUTIONS
from tests.browser.helpers import assert_fits

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_the_funder_sees_the_programme_at_real_size(page, sign_in, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in("funder@example.org")
    page.goto("/?lang=en")
    page.get_by_role("link", name="Progress dashboard").first.click()
    figure = page.locator("main .figure")
    expect(figure).to_contain_text("of 1,000 trainees have finished")
    finished = re.match(r"\s*([\d,]+) of 1,000", figure.inner_text())
    assert finished and int(finished.group(1).replace(",", "")) >= 200, figure.inner_text()
    assert page.locator("svg.chart rect").count() >= 6
    institutions = page.locator("#institutions table")
    for name in INSTITUTIONS:
        expect(institutions).to_contain_text(name)
    assert_fits(page, width)
