"""An administrator on a phone finds the demo doctor's certificate in the list, revokes it
through the confirmation page (a reason is required), and undoes it; the public
verification page follows each step (issue 16)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_fits, click_and_wait

pytestmark = pytest.mark.browser


def _verify_status(page, code: str) -> str:
    page.goto(f"/verify/{code}?lang=en")
    expect(page.locator("dl.facts")).to_contain_text("Institution")  # who issued it
    return page.locator("main .flash strong").inner_text()


@pytest.mark.parametrize("width", [360, 1280])
def test_find_revoke_with_confirmation_and_undo(page, sign_in, width):
    page.set_viewport_size({"width": width, "height": 740})
    sign_in("admin@example.org")
    page.goto("/admin/certificates?lang=en")
    assert_fits(page, width)
    page.get_by_label("Holder, e-mail or code").fill("doctor@example.org")
    click_and_wait(page, page.get_by_role("button", name="Search"))
    holder = page.locator("main table tbody tr").first.locator("a")
    click_and_wait(page, holder)
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()

    click_and_wait(page, page.get_by_role("link", name="Revoke this certificate…"))
    expect(page.get_by_role("heading", name="Revoke a certificate")).to_be_visible()
    expect(page.locator("main")).to_contain_text("no longer valid")
    assert_fits(page, width)
    click_and_wait(page, page.get_by_role("button", name="Revoke the certificate"))
    expect(page.locator(".field.has-error")).to_contain_text("This field is required.")
    page.get_by_label("Reason for revoking").fill("Issued to the wrong person")
    click_and_wait(page, page.get_by_role("button", name="Revoke the certificate"))

    expect(page.locator("main")).to_contain_text("Issued to the wrong person")
    expect(page.get_by_role("link", name="Download PDF")).to_have_count(0)
    assert_fits(page, width)
    certificate_page = page.url
    assert _verify_status(page, code) == "Revoked"

    page.goto(certificate_page)
    click_and_wait(page, page.get_by_role("button", name="Undo: reinstate this certificate"))
    expect(page.locator("main")).to_contain_text("valid again")
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    assert _verify_status(page, code) == "Valid"
