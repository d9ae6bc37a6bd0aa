"""GNU gettext (Debian's msgfmt) accepts every catalog: the interface's with --check
(format strings included), the courses' with the checks that apply to lesson text."""

import shutil
import subprocess
from pathlib import Path

import pytest

from app.i18n.editing import CONTENT_CHECKS

ROOT = Path(__file__).resolve().parents[2]
INTERFACE = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
CONTENT = sorted((ROOT / "courses").glob("*/translations/*.po"))


def _msgfmt(*arguments) -> subprocess.CompletedProcess:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: install Debian's gettext (make chromium installs it)"
    return subprocess.run([msgfmt, *arguments], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("path", INTERFACE, ids=lambda p: p.parts[-3])
def test_interface_catalogs_pass_msgfmt_check(path):
    result = _msgfmt("--check", "-o", "/dev/null", str(path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_content_catalogs_pass_msgfmt(path):
    result = _msgfmt(*CONTENT_CHECKS, "-o", "/dev/null", str(path))
    assert result.returncode == 0, result.stderr
