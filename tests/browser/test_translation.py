"""The demo translator opens the stale list, fixes the Kazakh catalog of Foundations by
uploading a corrected file, and a lesson held back in Russian shows in Kazakh."""

import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from playwright.sync_api import expect

from app.courses.content.catalogs import CRITICAL_COMMENT

pytestmark = pytest.mark.browser
LESSON = "/courses/foundations-of-palliative-care/lessons/delirium"


def _translate_the_delirium_doses(downloaded: Path, corrected: Path) -> int:
    """Fill in the Kazakh of the delirium lesson's safety-critical segments (test text:
    a Kazakh prefix on the source, which keeps its markup)."""
    with downloaded.open("rb") as handle:
        catalog = read_po(handle, locale="kk")
    filled = 0
    for message in catalog:
        in_lesson = any("delirium" in file for file, _line in message.locations)
        if message.id and in_lesson and CRITICAL_COMMENT in message.auto_comments:
            message.string, filled = f"Қазақша: {message.id}", filled + 1
            message.flags.discard("fuzzy")
    with corrected.open("wb") as handle:
        write_po(handle, catalog, width=0, include_previous=True)
    return filled


def _open_once_imported(page, url: str, within: float = 15.0) -> None:
    """Open ``url`` again until the lesson shows in Kazakh (the upload's import runs
    after the request), for at most ``within`` seconds."""
    deadline = time.monotonic() + within
    page.goto(url)
    lesson = page.locator("article.lesson")
    while lesson.get_attribute("lang") != "kk" and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        page.goto(url)


def test_the_translator_fixes_a_held_back_lesson(page, sign_in, tmp_path):
    sign_in("translator@example.org")
    page.goto(f"{LESSON}?lang=kk")
    expect(page.locator("article.lesson")).to_have_attribute("lang", "ru")  # held back
    page.goto("/?lang=en")
    page.get_by_role("link", name="Translation").click()
    held = page.locator("#held-title + p + .table-wrap")
    expect(held).to_contain_text("delirium")
    held.get_by_role("link", name="foundations-of-palliative-care").first.click()
    expect(page.get_by_role("heading", name="stale segments")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the catalog (.po)").click()
    corrected = tmp_path / "kk.po"
    assert _translate_the_delirium_doses(Path(download_info.value.path()), corrected) > 0
    page.get_by_label("Upload a translated catalog").set_input_files(str(corrected))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("checked and saved")
    _open_once_imported(page, f"{LESSON}?lang=kk")  # the import is a queued task
    expect(page.locator("article.lesson")).to_have_attribute("lang", "kk")
    expect(page.locator("article.lesson")).to_contain_text("Қазақша:")
