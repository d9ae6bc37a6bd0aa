"""`flask courses validate` fails when a quiz choice's translation could have come from
another segment, and warns about such stale (fuzzy) choices."""

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.courses.content.loader import load_courses
from app.courses.content.provenance import borrowed_choices, previous_sources
from config import Config
from tests.conftest import FIXTURE_COURSES

CATALOG = """
#. heading
#: course/modules/01/01-delirium.md:3
msgid "Delirium"
msgstr "Делирий"

#. list-item
#: course/modules/01/01-delirium.md:9
msgid "**Myoclonus** (sudden jerks of the muscles)"
msgstr "**Миоклонус** (внезапные подёргивания мышц)"

#. quiz-choice
#: course/quizzes/check.yaml:6
msgid "Myoclonus (sudden muscle jerks)"
msgstr "Миоклонус (внезапные подёргивания мышц)"

#. quiz-choice
#: course/quizzes/check.yaml:7
msgid "Mixed delirium"
msgstr "{mixed}"

#. quiz-choice
#: course/quizzes/check.yaml:8
#, fuzzy
#| msgid "The team meets every week."
msgid "The patient"
msgstr "Пациент"

#. paragraph
#: course/modules/01/01-delirium.md:5
msgid "The team meets every week."
msgstr "Команда собирается каждую неделю."
"""


def findings(mixed: str):
    text = CATALOG.replace("{mixed}", mixed)
    catalog = read_po(io.BytesIO(text.encode()), locale="ru")
    found = borrowed_choices(catalog, lambda m: m.auto_comments[:1], previous_sources(text))
    return [(f.msgid, f.fuzzy, f.reason) for f in found]


def test_a_choice_translated_as_another_segment_is_found():
    assert findings("Делирий.")[0] == (
        "Mixed delirium",
        False,
        "its translation is that of “Delirium” (line 4)",
    )


def test_a_fuzzy_choice_suggested_from_a_paragraph_is_found():
    [*_, stale] = findings("Смешанный делирий")
    assert stale == (
        "The patient",
        True,
        "its translation was suggested from “The team meets every week.”, a paragraph",
    )


def test_the_same_words_may_share_a_translation():
    """ "Myoclonus (sudden muscle jerks)" and the lesson's "**Myoclonus** (sudden jerks of
    the muscles)": one meaning, one translation (a real pair of the Russian catalog)."""
    assert [msgid for msgid, _fuzzy, _why in findings("Смешанный делирий")] == ["The patient"]


@pytest.fixture
def quiz_course(tmp_path) -> Path:
    shutil.copytree(FIXTURE_COURSES / "quiz-course", tmp_path / "quiz-course")
    return tmp_path / "quiz-course" / "translations" / "ru.po"


def _translate(path: Path, source: str, translation: str, fuzzy=False) -> None:
    text = path.read_text(encoding="utf-8")
    old = f'msgid "{source}"\nmsgstr ""'
    assert old in text
    flag = "#, fuzzy\n" if fuzzy else ""
    path.write_text(text.replace(old, f'{flag}msgid "{source}"\nmsgstr "{translation}"'))


def test_validate_fails_on_a_translated_choice_from_another_segment(quiz_course):
    _translate(quiz_course, "Prescribe a rescue dose", "Назначить регулярное слабительное")
    courses, problems = load_courses(quiz_course.parents[2], Config.LANGUAGES)
    # both choices: which one was copied cannot be known, and both read the same
    [laxative, rescue] = [str(p) for p in problems]
    assert rescue.startswith("quiz-course/translations/ru.po:")
    assert "quiz choice “Prescribe a rescue dose” (quiz-course, ru)" in rescue
    assert "that of “Prescribe a regular laxative”" in rescue
    assert "quiz choice “Prescribe a regular laxative”" in laxative
    assert "Prescribe a rescue dose" not in courses[0].catalogs["ru"].translations


def test_validate_warns_about_a_stale_choice_from_another_segment(quiz_course):
    _translate(quiz_course, "Oxygen for everyone", "Проверьте себя", fuzzy=True)
    courses, problems = load_courses(quiz_course.parents[2], Config.LANGUAGES)
    assert problems == []
    [warning] = courses[0].catalogs["ru"].warnings
    assert "stale quiz choice “Oxygen for everyone” (quiz-course, ru)" in warning.message
    assert "that of “Check your understanding”" in warning.message


def test_validate_prints_warnings_and_passes(app, quiz_course):
    _translate(quiz_course, "Oxygen for everyone", "Проверьте себя", fuzzy=True)
    result = app.test_cli_runner().invoke(args=["courses", "validate", str(quiz_course.parents[1])])
    assert result.exit_code == 0, result.output
    assert "ru.po:" in result.output and ": warning: stale quiz choice" in result.output
