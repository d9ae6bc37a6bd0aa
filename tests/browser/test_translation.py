"""The demo translator uploads a Kazakh catalog of Foundations without the delirium
lesson's dose lines: the lesson is held back in Russian and listed as held back; then
uploads the corrected file, and the lesson shows in Kazakh."""

import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from playwright.sync_api import expect

from app.courses.content.catalogs import CRITICAL_COMMENT

pytestmark = pytest.mark.browser
LESSON = "/courses/foundations-of-palliative-care/lessons/delirium"


def _delirium_doses(downloaded: Path, corrected: Path, translated: bool) -> int:
    """The catalog with the delirium lesson's safety-critical segments filled in (test
    text: a Kazakh prefix on the source, which keeps its markup and numbers) or left
    empty."""
    with downloaded.open("rb") as handle:
        catalog = read_po(handle, locale="kk")
    filled = 0
    for message in catalog:
        message.flags.discard("python-format")  # Babel guesses it from "39% c"; msgfmt refuses

        in_lesson = any("delirium" in file for file, _line in message.locations)
        if message.id and in_lesson and CRITICAL_COMMENT in message.auto_comments:
            message.string = f"Қазақша: {message.id}" if translated else ""
            filled += 1
            message.flags.discard("fuzzy")
    with corrected.open("wb") as handle:
        write_po(handle, catalog, width=0, include_previous=True)
    return filled


def _open_once_imported(page, url: str, lang: str, within: float = 15.0) -> None:
    """Open ``url`` again until the lesson shows in ``lang`` (the upload's import runs
    after the request), for at most ``within`` seconds."""
    deadline = time.monotonic() + within
    page.goto(url)
    lesson = page.locator("article.lesson")
    while lesson.get_attribute("lang") != lang and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        page.goto(url)


def _upload(page, catalog: Path) -> None:
    page.get_by_label("Upload a translated catalog").set_input_files(str(catalog))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("checked and saved")


def test_the_translator_fixes_a_held_back_lesson(page, sign_in, tmp_path):
    sign_in("translator@example.org")
    catalog_page = "/translate/kk/foundations-of-palliative-care?lang=en"
    page.goto(catalog_page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the catalog (.po)").click()
    downloaded = Path(download_info.value.path())
    without, corrected = tmp_path / "without.po", tmp_path / "kk.po"
    assert _delirium_doses(downloaded, without, translated=False) > 0
    _upload(page, without)
    _open_once_imported(page, f"{LESSON}?lang=kk", "ru")
    expect(page.locator("article.lesson")).to_have_attribute("lang", "ru")  # held back
    page.goto("/?lang=en")
    page.get_by_role("link", name="Translation").click()
    held = page.locator("#held-title + p + .table-wrap")
    expect(held).to_contain_text("delirium")
    held.get_by_role("link", name="foundations-of-palliative-care").first.click()
    _delirium_doses(downloaded, corrected, translated=True)
    _upload(page, corrected)
    _open_once_imported(page, f"{LESSON}?lang=kk", "kk")  # the import is a queued task
    expect(page.locator("article.lesson")).to_have_attribute("lang", "kk")
    expect(page.locator("article.lesson")).to_contain_text("Қазақша:")
