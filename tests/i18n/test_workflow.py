"""``flask translations add | update | compile | status`` on a scratch copy of the
translations and of a course: a new locale in one command, fuzzy marking of changed
source text, compiled catalogs, and a status that puts held-back lessons first."""

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import create_app
from tests.conftest import FIXTURE_COURSES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scratch(tmp_path):
    """An app whose interface catalogs and courses are writable copies."""
    shutil.copytree(ROOT / "translations", tmp_path / "translations",
                    ignore=shutil.ignore_patterns("*.mo"))  # fmt: skip
    shutil.copytree(FIXTURE_COURSES / "sample-course", tmp_path / "courses" / "sample-course")
    app = create_app("testing", BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"),
                     COURSES_DIR=str(tmp_path / "courses"),
                     SQLALCHEMY_DATABASE_URI="sqlite://")  # fmt: skip
    return app, tmp_path


def _run(app, *arguments: str):
    """The command in the scratch app (pushed over the test session's own app, which the
    CLI would otherwise use)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(arguments))


def _po(path: Path, locale: str):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def test_a_new_locale_in_one_command(scratch):
    app, root = scratch
    result = _run(app, "translations", "add", "uz", "--fallback", "ru")
    assert result.exit_code == 0, result.output
    interface = _po(root / "translations/uz/LC_MESSAGES/messages.po", "uz")
    strings = [s for m in interface if m.id for s in (m.string if m.pluralizable else [m.string])]
    assert len(interface) > 500 and not any(strings)  # nothing translated yet
    assert interface.num_plurals == 2  # Babel's CLDR data for Uzbek
    content = root / "courses/sample-course/translations/uz.po"
    assert content.exists() and len(_po(content, "uz")) > 10
    assert "uz: {fallbacks: [ru]}" in (root / "translations/locales.yaml").read_text()
    again = _run(app, "translations", "add", "uz")
    assert again.exit_code == 1 and "already registered" in again.output
    unknown = _run(app, "translations", "add", "xx-yy")
    assert unknown.exit_code == 1 and "not a locale" in unknown.output
    wrong = _run(app, "translations", "add", "hy", "--fallback", "fr")
    assert wrong.exit_code == 1 and "not a registered language" in wrong.output
    status = _run(app, "translations", "status").output
    assert "uz/interface" in status and "uz/sample-course" in status
    held = status.split("catalog", 1)[0]  # held-back lessons come first
    assert "uz       sample-course/welcome -> shown in ru" in held
    assert "kk       sample-course/welcome -> shown in ru" in held


def test_a_changed_source_turns_fuzzy_and_keeps_its_translation(scratch):
    app, root = scratch
    lesson = root / "courses/sample-course/modules/01-basics/01-welcome.md"
    lesson.write_text(lesson.read_text().replace("Start early.", "Start early, and often."))
    result = _run(app, "translations", "update")
    assert result.exit_code == 0, result.output
    russian = _po(root / "courses/sample-course/translations/ru.po", "ru")
    changed = russian.get("Start early, and often.")
    assert changed is not None and changed.fuzzy and changed.string == "Начинайте рано."
    assert russian.get("Start early.") is None
    assert "Start early, and often." in (root / "courses/sample-course/translations/"
                                         "sample-course.pot").read_text()  # fmt: skip


def test_compile_writes_the_interface_catalogs(scratch):
    app, root = scratch
    result = _run(app, "translations", "compile")
    assert result.exit_code == 0, result.output
    for locale in ("ru", "kk", "zh_Hans", "sv"):
        assert (root / f"translations/{locale}/LC_MESSAGES/messages.mo").stat().st_size > 1000


def test_plural_forms_come_from_babels_locale_data():
    counts = {
        locale: _po(ROOT / f"translations/{locale}/LC_MESSAGES/messages.po", locale).num_plurals
        for locale in ("ru", "kk", "zh_Hans", "sv")
    }
    assert counts == {"ru": 3, "kk": 2, "zh_Hans": 1, "sv": 2}


def test_the_switcher_waits_for_a_new_language_to_be_translated(scratch):
    app, root = scratch
    _run(app, "translations", "add", "uz")
    app.config["LANGUAGES"] = [*app.config["LANGUAGES"], "uz"]
    from app.locales import language_choices, switcher_choices

    with app.test_request_context("/"):
        assert "uz" in dict(language_choices())  # a profile may choose it (its translators)
        assert "uz" not in dict(switcher_choices())  # 0% of the interface translated
        assert "kk" in dict(switcher_choices())
    app.config["LANGUAGE_SWITCHER_MIN_COVERAGE"] = 0
    app.extensions.pop("palliare_interface_coverage", None)
    with app.test_request_context("/"):
        assert "uz" in dict(switcher_choices())
