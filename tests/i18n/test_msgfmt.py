"""GNU gettext (Debian's msgfmt) accepts every catalog with --check (syntax, header,
domain and format strings): the interface's, the courses' and the test fixtures'. A
content catalog carries no format flag (lesson text is no format string), so any tool
that checks formats accepts it too."""

import shutil
import subprocess
from pathlib import Path

import pytest

from app.courses.content.catalogs import build_template, merge_into
from app.courses.content.markdown import Segment
from app.i18n.editing import CONTENT_CHECKS

ROOT = Path(__file__).resolve().parents[2]
INTERFACE = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
CONTENT = sorted((ROOT / "courses").glob("*/translations/*.po")) + sorted(
    (ROOT / "tests" / "fixtures" / "courses").glob("*/translations/*.po")
)


def _msgfmt(*arguments) -> subprocess.CompletedProcess:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: install Debian's gettext (make chromium installs it)"
    return subprocess.run([msgfmt, *arguments], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("path", INTERFACE, ids=lambda p: p.parts[-3])
def test_interface_catalogs_pass_msgfmt_check(path):
    result = _msgfmt("--check", "-o", "/dev/null", str(path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_content_catalogs_pass_msgfmt_check(path):
    result = _msgfmt("--check", "-o", "/dev/null", str(path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_content_catalogs_carry_no_format_flags(path):
    flagged = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("#,") and "format" in line
    ]
    assert flagged == [], f"{path.name}: format flags on lines {flagged}"


def test_uploads_are_checked_as_fully():
    assert CONTENT_CHECKS == ("--check",)


def test_a_catalog_made_from_lesson_text_with_percent_signs_passes(tmp_path):
    """Babel flags "39% c" as python-format, which msgfmt --check rejects."""
    text = "Patients preferred it (39% compared with 14%); 100% c of them."
    template = build_template(
        "course", [("course/modules/m/01-a.md", Segment(text, "paragraph", 3))]
    )
    path = tmp_path / "ru.po"
    merge_into(template, path, "ru")
    russian = "Пациенты предпочли её (39% против 14%); 100% c из них."
    entry = f'msgid "{text}"\nmsgstr ""'
    assert entry in path.read_text()
    path.write_text(path.read_text().replace(entry, f'msgid "{text}"\nmsgstr "{russian}"'))
    assert "format" not in path.read_text()
    result = _msgfmt("--check", "-o", "/dev/null", str(path))
    assert result.returncode == 0, result.stderr
