"""The interface catalogs: complete enough, placeholders intact, template up to date."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.interface_coverage import catalog_path, interface_coverage

REQUIRED_COVERAGE = {"ru": 100.0, "kk": 100.0, "zh_Hans": 80.0, "sv": 80.0}
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("locale, required", REQUIRED_COVERAGE.items())
def test_catalog_coverage(app, locale, required):
    with app.app_context():
        coverage = interface_coverage(locale)
    assert coverage.total > 0
    assert coverage.percent >= required, f"{locale}: {coverage}"


@pytest.mark.parametrize("locale", REQUIRED_COVERAGE)
def test_translations_keep_their_placeholders(app, locale):
    with app.app_context(), catalog_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    problems = [
        f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors
    ]
    assert problems == []


def test_template_lists_every_string_of_the_code(tmp_path):
    """Fails when a string was added to the code without `make extract-messages`."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    def ids(path):
        with path.open("rb") as handle:
            return {
                message.id if isinstance(message.id, str) else message.id[0]
                for message in read_po(handle)
                if message.id
            }

    assert ids(fresh) - ids(ROOT / "translations" / "messages.pot") == set()
