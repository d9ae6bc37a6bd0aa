"""Importing courses: one transaction, idempotent, progress kept across edits."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.courses import queries
from app.courses.content.problems import CourseFilesInvalid
from app.courses.importer import import_courses
from app.courses.models import Course, Lesson, LessonText, Module
from app.extensions import db
from app.learning.enrolment import enrol_learner
from app.learning.progress import complete_lesson
from tests.conftest import FIXTURE_COURSES
from tests.courses.test_validation import edit
from tests.factories import make_user


@pytest.fixture
def root(tmp_path) -> Path:
    """A writable copy of the sample course, alone in its courses folder."""
    shutil.copytree(FIXTURE_COURSES / "sample-course", tmp_path / "courses" / "sample-course")
    return tmp_path / "courses"


def lesson(key: str) -> Lesson:
    return db.session.scalar(select(Lesson).where(Lesson.key == key))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_creates_every_row_and_is_idempotent(root, app):
    report = import_courses(root)
    assert (report.imported, report.unchanged) == (1, 0)
    assert (count(Course), count(Module), count(Lesson)) == (1, 2, 3)
    assert count(LessonText) == 3 * len(app.config["LANGUAGES"])  # every lesson, every language
    again = import_courses(root)
    assert (again.imported, again.unchanged) == (0, 1)
    texts = 3 * len(app.config["LANGUAGES"])
    assert (count(Course), count(Module), count(Lesson), count(LessonText)) == (1, 2, 3, texts)


def test_a_broken_course_changes_nothing(root):
    import_courses(root)
    edit(root / "sample-course/modules/01-basics/01-welcome.md", "title: Welcome", "title: Hello")
    edit(root / "sample-course/course.yaml", "cpd_hours: 1.5", "cpd_hours: lots")
    with pytest.raises(CourseFilesInvalid) as error:
        import_courses(root)
    assert "cpd_hours" in str(error.value.problems[0])
    assert lesson("welcome").title("en") == "Welcome"


def test_progress_survives_edits_renames_and_reordering(root):
    course = queries.get_course("sample-course") or None
    import_courses(root)
    course = queries.get_course("sample-course")
    learner = make_user()
    enrolment = enrol_learner(learner, course)
    complete_lesson(learner, enrolment, lesson("second"))
    # Rename the title, change the text, and move "second" before "welcome".
    basics = root / "sample-course/modules/01-basics"
    edit(basics / "02-second.md", "title: Second lesson", "title: A renamed lesson")
    (basics / "02-second.md").rename(basics / "00-second.md")
    edit(basics / "01-welcome.md", "Start early.", "Start as early as you can.")
    import_courses(root)
    outline = queries.get_course_outline(learner, course)
    states = outline.states()
    assert [s.lesson.key for s in states] == ["second", "welcome", "optional-reading"]
    assert states[0].completed and states[0].lesson.title("en") == "A renamed lesson"


def test_a_removed_lesson_is_retired_with_its_history_and_comes_back(root):
    import_courses(root)
    course = queries.get_course("sample-course")
    learner = make_user()
    complete_lesson(learner, enrol_learner(learner, course), lesson("optional-reading"))
    optional = root / "sample-course/modules/02-more/01-optional.md"
    saved = optional.read_text(encoding="utf-8")
    optional.unlink()
    (root / "sample-course/course.yaml").write_text(
        (root / "sample-course/course.yaml").read_text().replace("  - more\n", "")
    )
    shutil.rmtree(root / "sample-course/modules/02-more")
    import_courses(root)
    assert lesson("optional-reading").retired_at is not None
    keys = [s.lesson.key for s in queries.get_course_outline(learner, course).states()]
    assert "optional-reading" not in keys
    shutil.copytree(
        FIXTURE_COURSES / "sample-course/modules/02-more", root / "sample-course/modules/02-more"
    )
    (root / "sample-course/course.yaml").write_text(
        (FIXTURE_COURSES / "sample-course/course.yaml").read_text()
    )
    assert optional.read_text(encoding="utf-8") == saved
    import_courses(root)
    states = queries.get_course_outline(learner, course).states()
    assert states[-1].lesson.key == "optional-reading" and states[-1].completed


def text_of(key: str, locale: str) -> LessonText:
    return db.session.get(LessonText, (lesson(key).id, locale))


KAZAKH_DOSE = (
    'msgid "Morphine 5 mg by mouth as needed."\nmsgstr ""',
    'msgid "Morphine 5 mg by mouth as needed."\nmsgstr "Морфин 5 мг ішу арқылы, қажет болғанда."',
)


def _translate_the_kazakh_dose(root: Path) -> None:
    """The fixture's Kazakh catalog lacks the welcome lesson's dose line: fill it in."""
    edit(root / "sample-course/translations/kk.po", *KAZAKH_DOSE)


def test_fallback_chain_kazakh_then_russian_then_english(root):
    _translate_the_kazakh_dose(root)
    import_courses(root)
    kazakh = text_of("welcome", "kk")
    assert "Паллиативтік көмек өмір сапасын жақсартады." in kazakh.html  # Kazakh
    assert "Почему это важно" in kazakh.html  # Russian, next in the chain
    assert "Hello and welcome." in kazakh.html  # English, the source
    assert 0 < kazakh.segments_fallback < kazakh.segments_total
    assert lesson("welcome").title("kk") == "Қош келдіңіз"
    swedish = text_of("welcome", "sv")  # no Swedish catalog: English, all of it
    assert swedish.held_back_to == "en" and "Hello and welcome." in swedish.html
    assert text_of("second", "sv").segments_fallback == text_of("second", "sv").segments_total
    english = text_of("welcome", "en")
    assert english.segments_fallback == 0


def test_a_stale_translation_is_not_shown(root):
    po = root / "sample-course/translations/ru.po"
    edit(
        po,
        '#: sample-course/modules/01-basics/01-welcome.md:24\nmsgid "Start early."',
        '#: sample-course/modules/01-basics/01-welcome.md:24\n#, fuzzy\nmsgid "Start early."',
    )
    import_courses(root)
    russian = text_of("welcome", "ru")
    assert "Начинайте рано." not in russian.html and "Start early." in russian.html
    assert "Почему это важно" in russian.html


def test_a_changed_source_segment_falls_back_until_translated_again(root, app):
    edit(root / "sample-course/modules/01-basics/01-welcome.md", "Start early.", "Start earlier.")
    import_courses(root)
    assert "Start earlier." in text_of("welcome", "ru").html
    runner = app.test_cli_runner()
    result = runner.invoke(args=["courses", "extract", str(root)])
    assert result.exit_code == 0, result.output
    po = (root / "sample-course/translations/ru.po").read_text(encoding="utf-8")
    stale = '#, fuzzy\n#| msgid "Start early."\nmsgid "Start earlier."\nmsgstr "Начинайте рано."'
    assert stale in po  # the old source kept, for the translator's stale list


def test_script_and_event_handlers_never_reach_the_page(root):
    welcome = root / "sample-course/modules/01-basics/01-welcome.md"
    edit(welcome, "Start early.", 'Start <script>alert(1)</script> <img src=x onerror="alert(2)">')
    po = root / "sample-course/translations/ru.po"
    edit(po, 'msgstr "Почему это важно"', 'msgstr "[Почему](javascript:alert(3)) это важно"')
    import_courses(root)
    for locale in ("en", "ru"):
        html = text_of("welcome", locale).html
        assert "<script" not in html and "<img" not in html  # shown as text, escaped
        assert "&lt;script&gt;" in html
        assert 'href="javascript' not in html


def test_fallback_passages_carry_their_language(root):
    _translate_the_kazakh_dose(root)
    import_courses(root)
    kazakh = text_of("welcome", "kk").html
    assert '<h2 lang="ru">Почему это важно</h2>' in kazakh
    assert '<p lang="kk">' not in kazakh and "<p>Паллиативтік көмек" in kazakh
    assert 'lang="en"' in kazakh  # the untranslated rest, in the source language


def test_a_lesson_with_an_untranslated_dose_is_held_back_whole(root):
    import_courses(root)  # the Kazakh catalog lacks the dose line; Russian has it
    kazakh = text_of("welcome", "kk")
    assert kazakh.held_back_to == "ru"
    assert "Морфин 5 мг внутрь по необходимости." in kazakh.html
    assert "Паллиативтік көмек" not in kazakh.html  # no Kazakh mixed in beside the dose
    assert text_of("welcome", "ru").held_back_to is None
    assert text_of("second", "kk").held_back_to is None  # no dose in it: Kazakh as usual


def test_a_stale_dose_holds_the_lesson_back_to_the_source(root):
    _translate_the_kazakh_dose(root)
    edit(
        root / "sample-course/translations/kk.po",
        'msgid "Morphine 5 mg by mouth as needed."',
        '#, fuzzy\nmsgid "Morphine 5 mg by mouth as needed."',
    )
    edit(
        root / "sample-course/translations/ru.po",
        'msgid "Morphine 5 mg by mouth as needed."',
        '#, fuzzy\nmsgid "Morphine 5 mg by mouth as needed."',
    )
    import_courses(root)
    for locale in ("kk", "ru"):
        text = text_of("welcome", locale)
        assert text.held_back_to == "en", locale
        assert "Morphine 5 mg by mouth as needed." in text.html
        assert "Морфин" not in text.html
