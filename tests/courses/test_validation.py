"""`flask courses validate`: every problem reported as file:line: message."""

import shutil
from pathlib import Path

import pytest

from app.courses.content.loader import load_courses
from config import Config
from tests.conftest import FIXTURE_COURSES

LOCALES = Config.LANGUAGES
REAL_COURSES = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def course_dir(tmp_path) -> Path:
    """A writable copy of the sample course; returns its folder."""
    shutil.copytree(FIXTURE_COURSES / "sample-course", tmp_path / "sample-course")
    return tmp_path / "sample-course"


def problems_of(root: Path) -> list[str]:
    return [str(problem) for problem in load_courses(root, LOCALES)[1]]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


WELCOME = "modules/01-basics/01-welcome.md"


def test_the_sample_course_is_valid(course_dir):
    assert problems_of(course_dir.parent) == []


def test_the_real_courses_are_valid():
    assert problems_of(REAL_COURSES) == []


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (
            "course.yaml",
            "  lessons: required\n",
            "  lessons: required\n  workshop_sessions: two\n",
            "sample-course/course.yaml:11: completion 'workshop_sessions' is a number (0 or more)",
        ),
        (
            "course.yaml",
            "  lessons: required\n",
            "  lessons: required\n  paths:\n    surgeon: {quizzes: []}\n",
            "sample-course/course.yaml:11: 'surgeon' in completion paths is not one of doctor,",
        ),
        (
            "course.yaml",
            "  lessons: required\n",
            "  lessons: required\n  paths:\n    social_worker: {lessons: all}\n",
            "sample-course/course.yaml:11: the social_worker path sets quizzes or workshop",
        ),
        (
            "course.yaml",
            "  lessons: required\n",
            "  lessons: required\n  paths:\n    social_worker: {quizzes: [nothing]}\n",
            "sample-course/course.yaml:11: no quiz has id 'nothing'",
        ),
        (
            "course.yaml",
            "enrolment: open\n",
            "enrolment: open\ntrainer_track: sometimes\n",
            "sample-course/course.yaml:8: trainer_track must be true or false",
        ),
        (
            "course.yaml",
            "cpd_hours: 1.5",
            "cpd_hours: 1.5\nflavour: blue",
            "sample-course/course.yaml:7: unknown key 'flavour' in course.yaml",
        ),
        (
            "course.yaml",
            "title: Sample course\n",
            "title: [unclosed\n",
            "sample-course/course.yaml:3: invalid YAML",
        ),
        (
            "course.yaml",
            "  - more\n",
            "  - more\n  - missing-module\n",
            "sample-course/course.yaml:11: no module folder has id 'missing-module'",
        ),
        (
            "course.yaml",
            "audience: [nurse, doctor]",
            "audience: [nurse, surgeon]",
            "sample-course/course.yaml:4: audience is a list of",
        ),
        (
            "modules/01-basics/module.yaml",
            "id: basics",
            "id: Basics!",
            "sample-course/modules/01-basics/module.yaml:1: module id must be lowercase",
        ),
        (
            WELCOME,
            "id: welcome\n",
            "",
            "sample-course/modules/01-basics/01-welcome.md:2: missing 'id' in lesson front matter",
        ),
        (
            WELCOME,
            "minutes: 5",
            "minutes: 5\nauthor: me",
            "sample-course/modules/01-basics/01-welcome.md:5: unknown key 'author'",
        ),
        (
            WELCOME,
            "[diary](files/diary.txt)",
            "[diary](files/nothing.pdf)",
            "sample-course/modules/01-basics/01-welcome.md:21: broken link: files/nothing.pdf",
        ),
        (
            WELCOME,
            "  - path: files/diary.txt",
            "  - path: files/lost.txt",
            "sample-course/modules/01-basics/01-welcome.md:6: broken link: files/lost.txt",
        ),
        (
            WELCOME,
            "::: key-point",
            "::: tip",
            "sample-course/modules/01-basics/01-welcome.md:23: unknown callout 'tip'",
        ),
        (
            WELCOME,
            "## Why it matters",
            "# Why it matters",
            "sample-course/modules/01-basics/01-welcome.md:18: use '##' headings",
        ),
        (
            WELCOME,
            "Start early.",
            "Start with 10 mg.",
            "sample-course/modules/01-basics/01-welcome.md:24: dose or conversion outside",
        ),
        (
            "modules/02-more/01-optional.md",
            "id: optional-reading",
            "id: welcome",
            "sample-course/modules/02-more/01-optional.md:2: lesson id 'welcome' is also used",
        ),
        (
            "translations/ru.po",
            "[дневником](files/diary.txt)",
            "[дневником](files/other.txt)",
            "sample-course/translations/ru.po:",
        ),
        (
            "translations/ru.po",
            'msgstr "Начинайте рано."',
            'msgstr "<b>Начинайте</b> рано."',
            "contains HTML",
        ),
        (
            "translations/ru.po",
            'msgstr "Основы"',
            'msgstr "Основы"\nbroken line here',
            "sample-course/translations/ru.po:",
        ),
    ],
)
def test_each_problem_names_its_file_and_line(course_dir, file, old, new, expected):
    edit(course_dir / file, old, new)
    problems = problems_of(course_dir.parent)
    assert any(expected in problem for problem in problems), problems


def test_markup_problem_in_a_translation_says_what_is_wrong(course_dir):
    edit(course_dir / "translations/ru.po", "[дневником](files/diary.txt)", "дневником")
    [problem] = problems_of(course_dir.parent)
    assert problem.startswith("sample-course/translations/ru.po:")
    assert "markup" in problem


def test_two_courses_with_one_id(course_dir):
    shutil.copytree(course_dir, course_dir.parent / "copy")
    problems = problems_of(course_dir.parent)
    assert any("the course id must equal its folder name" in p for p in problems)
    assert any("is also used by" in p for p in problems)


def test_course_files_may_not_be_html_or_script(course_dir):
    (course_dir / "files" / "page.html").write_text("<script>alert(1)</script>")
    edit(course_dir / WELCOME, "[diary](files/diary.txt)", "[diary](files/page.html)")
    problems = problems_of(course_dir.parent)
    assert any("files/page.html': files may be" in p for p in problems), problems
