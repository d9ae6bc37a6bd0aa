"""Quiz questions name the lesson objective they test; the review shows it."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.courses.content.loader import load_courses
from app.courses.importer import import_courses
from app.extensions import db
from app.quizzes.models import Attempt
from app.quizzes.queries import get_quiz_text
from tests.conftest import FIXTURE_COURSES
from tests.courses.test_validation import LOCALES, edit, problems_of
from tests.factories import make_user
from tests.helpers import csrf_token, text_of
from tests.quizzes.helpers import enrol, quiz, take, wrong_form

CHECK = "quizzes/check.yaml"
KNOWLEDGE = "quizzes/knowledge.yaml"
COURSE = "/courses/quiz-course"


@pytest.fixture
def course_dir(tmp_path) -> Path:
    shutil.copytree(FIXTURE_COURSES / "quiz-course", tmp_path / "quiz-course")
    return tmp_path / "quiz-course"


def _questions(course_dir: Path, quiz_id: str) -> dict:
    [course], problems = load_courses(course_dir.parent, LOCALES)
    assert problems == []
    [found] = [q for q in course.quizzes if q.id == quiz_id]
    return {
        question["id"]: question
        for pool in found.pools
        for item in pool["items"]
        for question in [item, *item.get("questions", [])]
    }


def test_a_question_names_the_objective_it_tests(course_dir):
    check = _questions(course_dir, "check")
    assert check["laxative"]["objective"] == "prevent-constipation"
    assert "objective" not in check["early"]
    assert _questions(course_dir, "knowledge")["mrs-chen-fan"]["objective"] == (
        "ease-breathlessness"
    )


def test_an_objective_no_lesson_states_is_refused(course_dir):
    edit(course_dir / CHECK, "objective: prevent-constipation", "objective: prevent-falls")
    assert (
        "quiz-course/quizzes/check.yaml:29: no lesson of the course has objective 'prevent-falls'"
        in problems_of(course_dir.parent)
    )


def test_a_case_part_naming_an_unknown_objective_is_refused(course_dir):
    edit(course_dir / KNOWLEDGE, "objective: ease-breathlessness", "objective: ghost")
    assert (
        "quiz-course/quizzes/knowledge.yaml:61: no lesson of the course has objective 'ghost'"
        in problems_of(course_dir.parent)
    )


def test_an_objective_is_an_id(course_dir):
    edit(course_dir / CHECK, "objective: prevent-constipation", "objective: [a, b]")
    assert (
        "quiz-course/quizzes/check.yaml:29: objective is the id of a lesson's objective"
        in problems_of(course_dir.parent)
    )


def test_the_parts_of_a_case_inherit_its_objective(course_dir):
    edit(
        course_dir / KNOWLEDGE,
        "        type: case\n",
        "        type: case\n        objective: ease-breathlessness\n",
    )
    edit(course_dir / KNOWLEDGE, "            objective: ease-breathlessness\n", "")
    questions = _questions(course_dir, "knowledge")
    assert questions["mrs-chen"]["objective"] == "ease-breathlessness"
    assert questions["mrs-chen-first"]["objective"] == "ease-breathlessness"
    assert questions["mrs-chen-fan"]["objective"] == "ease-breathlessness"


def test_the_quiz_texts_carry_the_translated_objective(course_dir):
    import_courses(course_dir.parent)
    from app.courses.queries import get_course

    check = quiz(get_course("quiz-course"), "check")
    russian = get_quiz_text(check.id, "ru").texts
    assert russian["laxative"]["objective"] == {
        "id": "prevent-constipation",
        "text": "Назначать слабительное вместе с каждым сильным опиоидом",
        "lesson": "reading",
        "lesson_title": "Reading",
    }
    assert "objective" not in russian["early"]


def _review(client, login, quiz_course) -> str:
    user = make_user(locale="en")
    enrol(user, quiz_course)
    take(user, quiz_course, "knowledge", right=False)
    db.session.commit()
    login(user)
    start = f"{COURSE}/quizzes/check/start"
    token = csrf_token(client, f"{COURSE}/quizzes/check")
    attempt_url = client.post(start, data={"csrf_token": token}).headers["Location"]
    attempt = db.session.scalar(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.phase == "quiz")
    )
    data = wrong_form(attempt).to_dict(flat=False)
    client.post(f"{attempt_url}/submit", data={"csrf_token": token, **data})
    return text_of(client.get(attempt_url))


def test_the_review_shows_the_objective_a_question_tests_and_links_its_lesson(
    client, login, quiz_course
):
    review = _review(client, login, quiz_course)
    assert review.count("Learning objective tested:") == 1  # one of three questions names one
    assert "Prescribe a laxative with every strong opioid" in review
    assert f'href="{COURSE}/lessons/reading#objective-prevent-constipation"' in review
    assert "Study it again in the lesson “Reading”" in review


def test_the_pre_test_review_keeps_its_objectives_to_itself(client, login, quiz_course):
    user = make_user(locale="en")
    enrol(user, quiz_course)
    attempt = take(user, quiz_course, "knowledge", right=False)
    db.session.commit()
    login(user)
    review = text_of(client.get(f"/attempts/{attempt.id}"))
    assert "A fan can help." in review
    assert "Learning objective tested:" not in review
