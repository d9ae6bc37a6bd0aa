"""Learning objectives: stated in a lesson's front matter, checked, translated, shown."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.courses.content.catalogs import build_template
from app.courses.content.loader import load_courses
from app.courses.importer import import_courses
from app.courses.models import Lesson, LessonText
from app.extensions import db
from tests.conftest import FIXTURE_COURSES
from tests.courses.test_validation import LOCALES, edit, problems_of
from tests.factories import make_user
from tests.helpers import text_of
from tests.quizzes.helpers import enrol, take

READING = "modules/01-only/01-reading.md"
FILE = f"quiz-course/{READING}"
# The fixture lesson's objectives (lines 4-10 of its file).
OBJECTIVES = """objectives:
  - id: start-early
    text: "Explain when palliative care can start"
  - id: prevent-constipation
    text: "Prescribe a laxative with every strong opioid"
  - id: ease-breathlessness
    text: "Use *non-drug* measures for breathlessness"
"""
ONE = """objectives:
  - id: start-early
    text: "Explain when palliative care can start"
"""


@pytest.fixture
def course_dir(tmp_path) -> Path:
    """A writable copy of the quiz course (whose one lesson states three objectives)."""
    shutil.copytree(FIXTURE_COURSES / "quiz-course", tmp_path / "quiz-course")
    return tmp_path / "quiz-course"


def test_the_fixture_lesson_states_its_objectives(course_dir):
    courses, problems = load_courses(course_dir.parent, LOCALES)
    assert problems == []
    [lesson] = courses[0].lessons()
    assert [(o.id, o.text, o.line) for o in lesson.objectives] == [
        ("start-early", "Explain when palliative care can start", 5),
        ("prevent-constipation", "Prescribe a laxative with every strong opioid", 7),
        ("ease-breathlessness", "Use *non-drug* measures for breathlessness", 9),
    ]


def test_a_lesson_without_objectives_is_still_valid(course_dir):
    shutil.rmtree(course_dir / "quizzes")
    edit(course_dir / "course.yaml", "pre_test: knowledge\npost_test: knowledge\n", "")
    edit(course_dir / "course.yaml", "quizzes: [check]", "quizzes: []")
    edit(course_dir / READING, OBJECTIVES, "")
    assert problems_of(course_dir.parent) == []


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (OBJECTIVES, 'objectives: "Explain things"\n', f"{FILE}:4: objectives must be a list"),
        (OBJECTIVES, ONE, f"{FILE}:4: a lesson states 2 to 4 objectives, not 1"),
        (
            OBJECTIVES,
            OBJECTIVES + "  - {id: a, text: A}\n  - {id: b, text: B}\n",
            f"{FILE}:4: a lesson states 2 to 4 objectives, not 5",
        ),
        ("  - id: start-early\n", "  - text: Early\n", f"{FILE}:5: missing 'id' in objective"),
        (
            '  - id: start-early\n    text: "Explain when palliative care can start"\n',
            "  - id: start-early\n",
            f"{FILE}:5: missing 'text' in objective",
        ),
        (
            '"Explain when palliative care can start"',
            '"  "',
            f"{FILE}:5: objective 'start-early' needs a text",
        ),
        (
            "id: start-early",
            "id: Start_Early",
            f"{FILE}:5: objective id must be lowercase letters, digits and hyphens",
        ),
        (
            "  - id: start-early\n",
            "  - level: 2\n    id: start-early\n",
            f"{FILE}:5: an objective has an id and a text; no other keys",
        ),
        (
            "  - id: prevent-constipation",
            "  - id: start-early",
            f"{FILE}:7: objective id 'start-early' is used twice",
        ),
    ],
)
def test_each_objective_problem_names_its_file_and_line(course_dir, old, new, expected):
    edit(course_dir / READING, old, new)
    problems = problems_of(course_dir.parent)
    assert any(expected in problem for problem in problems), problems


def test_an_objective_id_is_unique_in_the_course(course_dir):
    other = course_dir / "modules/01-only/02-more.md"
    other.write_text(
        "---\nid: more\ntitle: More\nobjectives:\n"
        "  - {id: plan-care, text: Plan care}\n"
        "  - {id: start-early, text: Start early}\n---\n\nMore text.\n",
        encoding="utf-8",
    )
    problems = problems_of(course_dir.parent)
    assert (
        "quiz-course/modules/01-only/02-more.md:6: objective id 'start-early' is also used "
        f"by {FILE}"
    ) in problems, problems


def test_objective_texts_are_segments_of_the_course_template(course_dir):
    [course], _problems = load_courses(course_dir.parent, LOCALES)
    template = build_template(course.id, course.located_segments())
    entry = template.get("Use *non-drug* measures for breathlessness")
    assert entry is not None
    assert entry.auto_comments == ["objective"]
    assert entry.locations == [(FILE, 9)]
    # the fixture's own template was extracted with them
    pot = (course_dir / "translations/quiz-course.pot").read_text(encoding="utf-8")
    assert '#. objective\n#: quiz-course/modules/01-only/01-reading.md:5\nmsgid "Explain' in pot


def _objectives(locale: str) -> list[dict]:
    lesson = db.session.scalar(select(Lesson).where(Lesson.key == "reading"))
    return db.session.get(LessonText, (lesson.id, locale)).objectives


def test_import_stores_the_objectives_translated_with_the_lesson_fallbacks(course_dir):
    import_courses(course_dir.parent)
    assert _objectives("en") == [
        {"id": "start-early", "text": "Explain when palliative care can start"},
        {"id": "prevent-constipation", "text": "Prescribe a laxative with every strong opioid"},
        {"id": "ease-breathlessness", "text": "Use <em>non-drug</em> measures for breathlessness"},
    ]
    russian = [o["text"] for o in _objectives("ru")]
    assert russian == [
        "Explain when palliative care can start",  # not translated: the source
        "Назначать слабительное вместе с каждым сильным опиоидом",
        "Применять <em>немедикаментозные</em> меры при одышке",
    ]
    assert [o["text"] for o in _objectives("kk")] == russian  # Kazakh falls back to Russian
    # a passage in another language says which, for screen readers
    assert [o.get("lang") for o in _objectives("ru")] == ["en", None, None]
    assert [o.get("lang") for o in _objectives("kk")] == ["en", "ru", "ru"]
    lesson = db.session.scalar(select(Lesson).where(Lesson.key == "reading"))
    text = db.session.get(LessonText, (lesson.id, "ru"))
    # title, three objectives, one paragraph; in Russian only two objectives are translated
    assert (text.segments_total, text.segments_fallback) == (5, 3)


def test_a_translated_objective_follows_its_catalog(course_dir):
    edit(
        course_dir / "translations/ru.po",
        'msgid "Explain when palliative care can start"\nmsgstr ""',
        'msgid "Explain when palliative care can start"\n'
        'msgstr "Объяснять, когда может начинаться паллиативная помощь"',
    )
    import_courses(course_dir.parent)
    assert _objectives("ru")[0] == {
        "id": "start-early",
        "text": "Объяснять, когда может начинаться паллиативная помощь",
    }


def _reader(quiz_course, locale="en"):
    user = make_user(locale=locale)
    enrol(user, quiz_course)
    take(user, quiz_course, "knowledge", right=False)  # lessons wait for the pre-test
    db.session.commit()
    return user


def test_the_lesson_page_states_its_objectives_at_the_top(client, login, quiz_course):
    login(_reader(quiz_course))
    page = text_of(client.get("/courses/quiz-course/lessons/reading"))
    assert '<h2 id="objectives-title">Learning objectives</h2>' in page
    assert "In this lesson you will learn to:" in page
    assert '<li id="objective-ease-breathlessness">Use <em>non-drug</em> measures' in page
    assert page.index("Learning objectives") < page.index("Palliative care starts early")


def test_the_lesson_page_shows_objectives_in_the_learners_language(client, login, quiz_course):
    login(_reader(quiz_course, locale="ru"))
    page = text_of(client.get("/courses/quiz-course/lessons/reading"))
    assert "Цели обучения" in page and "В этом уроке вы научитесь:" in page
    assert "Назначать слабительное вместе с каждым сильным опиоидом" in page
    assert '<li id="objective-start-early" lang="en">Explain when palliative' in page


def test_a_lesson_without_objectives_shows_no_list(client, login, sample_course):
    user = make_user(locale="en")
    enrol(user, sample_course)
    db.session.commit()
    login(user)
    page = text_of(client.get("/courses/sample-course/lessons/welcome"))
    assert "Hello and welcome." in page and "objectives-title" not in page
