"""Helpers for quiz tests: enrol, take the pre-test, answer a drawn attempt."""

from werkzeug.datastructures import MultiDict

from app.courses import queries as course_queries
from app.learning.enrolment import enrol_learner
from app.learning.progress import complete_lesson
from app.learning.queries import get_enrolment
from app.quizzes import queries, services
from app.quizzes.scoring import scored_ids


def enrol(user, course):
    return enrol_learner(user, course)


def quiz(course, key):
    return queries.get_quiz(course.id, key)


def perfect_form(attempt) -> MultiDict:
    """The right answer to every question of ``attempt``, as a submitted form."""
    return _form(attempt, right=True)


def wrong_form(attempt) -> MultiDict:
    """A wrong answer to every question of ``attempt``."""
    return _form(attempt, right=False)


def _form(attempt, right: bool) -> MultiDict:
    questions = attempt.questions
    form = MultiDict()
    for qid in scored_ids(attempt.draw):
        question = questions[qid]
        name = f"q-{qid}"
        if question["type"] in ("single", "multiple"):
            for choice in question["choices"]:
                if choice["correct"] is right:
                    form.add(name, choice["id"])
                    if question["type"] == "single":
                        break
        elif question["type"] == "true-false":
            form.add(name, "true" if question["answer"] is right else "false")
        else:
            form.add(name, str(question["answer"] if right else question["answer"] + 99))
    return form


def take(user, course, key, right=True, enrolment=None):
    """Start and submit an attempt; returns it."""
    enrolment = enrolment or get_enrolment(user, course)
    attempt = services.start_attempt(user, quiz(course, key), enrolment, "en")
    services.submit_attempt(user, attempt, perfect_form(attempt) if right else wrong_form(attempt))
    return attempt


def complete_lessons(user, course):
    enrolment = get_enrolment(user, course)
    for state in course_queries.get_course_outline(user, course).states():
        complete_lesson(user, enrolment, state.lesson)
