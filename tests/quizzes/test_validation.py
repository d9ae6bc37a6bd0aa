"""Quiz files: every problem reported as file:line, and a broken quiz imports nothing."""

import shutil
from pathlib import Path

import pytest

from app.courses.content.problems import CourseFilesInvalid
from app.courses.importer import import_courses
from tests.conftest import FIXTURE_COURSES
from tests.courses.test_validation import edit, problems_of

CHECK = "quizzes/check.yaml"
KNOWLEDGE = "quizzes/knowledge.yaml"


@pytest.fixture
def course_dir(tmp_path) -> Path:
    shutil.copytree(FIXTURE_COURSES / "quiz-course", tmp_path / "quiz-course")
    return tmp_path / "quiz-course"


def test_the_quiz_course_is_valid(course_dir):
    assert problems_of(course_dir.parent) == []


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (
            CHECK,
            "pass_mark: 100",
            "pass_mark: 100\nshuffle: false",
            "quiz-course/quizzes/check.yaml:5: unknown key 'shuffle' in quiz",
        ),
        (
            CHECK,
            "pass_mark: 100",
            "pass_mark: 150",
            "quiz-course/quizzes/check.yaml:4: 'pass_mark' must be a number from 1 to 100",
        ),
        (
            CHECK,
            '        type: true-false\n        stem: "Palliative',
            '        type: essay\n        stem: "Palliative',
            "quiz-course/quizzes/check.yaml:12: question type must be one of",
        ),
        (
            CHECK,
            '        answer: true\n        rationale: "WHO:',
            '        rationale: "WHO:',
            "quiz-course/quizzes/check.yaml:11: a true-false question needs answer",
        ),
        (
            CHECK,
            '        rationale: "WHO 2018/19 dropped the stepwise requirement."\n',
            "",
            "quiz-course/quizzes/check.yaml:17: missing 'rationale'",
        ),
        (CHECK, "      - id: ladder", "      - id: early", "question id 'early' is used twice"),
        (
            CHECK,
            "module: only",
            "module: nowhere",
            "quiz-course/quizzes/check.yaml:1: no module has id 'nowhere'",
        ),
        (
            KNOWLEDGE,
            "    count: 2",
            "    count: 9",
            "quiz-course/quizzes/knowledge.yaml:6: count must be 1 to 3",
        ),
        (
            KNOWLEDGE,
            "  - pool: b",
            "  - pool: c",
            "quiz-course/quizzes/knowledge.yaml:7: no pool 'c'",
        ),
        (
            KNOWLEDGE,
            '{id: half, text: "About 1/2"}',
            '{id: half, text: "About 1/2", correct: true}',
            "knowledge.yaml:16: a single-choice question has exactly one correct choice",
        ),
        (
            KNOWLEDGE,
            "        answer: 30",
            "        answer: thirty",
            "knowledge.yaml:36: a numeric question needs a number as 'answer'",
        ),
        (
            KNOWLEDGE,
            "{id: patch, text:",
            "{id: rescue, text:",
            "knowledge.yaml:29: choice ids are unique",
        ),
        (
            KNOWLEDGE,
            "        type: case",
            "        type: case\n        colour: red",
            "knowledge.yaml:45: unknown key 'colour' in question",
        ),
        (CHECK, "pools:", "pools: [unclosed", "quiz-course/quizzes/check.yaml:9: invalid YAML"),
        (
            "course.yaml",
            "pre_test: knowledge",
            "pre_test: nothing",
            "quiz-course/course.yaml:10: no quiz has id 'nothing'",
        ),
        (
            "course.yaml",
            "quizzes: [check]",
            "quizzes: [check, ghost]",
            "quiz-course/course.yaml:12: no quiz has id 'ghost'",
        ),
    ],
)
def test_each_quiz_problem_names_its_file_and_line(course_dir, file, old, new, expected):
    edit(course_dir / file, old, new)
    problems = problems_of(course_dir.parent)
    assert any(expected in problem for problem in problems), problems


def test_a_malformed_quiz_imports_nothing(course_dir):
    edit(course_dir / CHECK, "pass_mark: 100", "pass_mark: lots")
    with pytest.raises(CourseFilesInvalid):
        import_courses(course_dir.parent)
    from sqlalchemy import func, select

    from app.courses.models import Course
    from app.extensions import db

    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_quiz_text_is_segmented_with_the_answer_key_left_out(course_dir):
    from app.courses.content.loader import load_courses

    [course], _ = load_courses(course_dir.parent, ["en", "ru"])
    texts = [segment.text for _, segment in course.located_segments()]
    assert "Palliative care can start at diagnosis." in texts
    assert "About 1/6 (sources give 1/10 to 1/6)" in texts
    assert "mg per 24 hours" in texts
    critical = [s for _, s in course.located_segments() if s.critical]
    assert any("rescue dose" in s.text for s in critical)
    assert not any(text in ("true", "false", "30") for text in texts)
