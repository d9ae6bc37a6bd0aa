"""The ``quizzes`` clause of completion rules: every quiz the rule names passed (a
course's post-test counts in its post phase)."""

from flask_babel import ngettext
from sqlalchemy import select

from app.auth.models import User
from app.courses.models import Course
from app.extensions import db
from app.learning.completion import register_clause, rule_for
from app.quizzes.models import Attempt, Quiz


def quizzes_passed(user: User, course: Course, keys: list[str]) -> bool:
    return all(_passed(user, course, key) for key in keys)


def _passed(user: User, course: Course, key: str) -> bool:
    phase = "post" if key == course.post_test_key else "quiz"
    passed = db.session.scalar(
        select(Attempt.id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Quiz.course_id == course.id,
            Quiz.key == key,
            Attempt.user_id == user.id,
            Attempt.phase == phase,
            Attempt.passed.is_(True),
        )
        .limit(1)
    )
    return passed is not None


def may_complete(user: User, attempt: Attempt) -> bool:
    """Whether this scored attempt can be the last step of its course's completion: a
    passed attempt, not a pre-test, at a quiz the learner's rule names."""
    if not attempt.passed or attempt.phase == "pre":
        return False  # without reading the course: most attempts end here
    return attempt.quiz.key in rule_for(user, attempt.quiz.course).get("quizzes", [])


def describe_quizzes(course: Course, keys: list[str], locale: str) -> str:
    """``quizzes: [...]`` in words: the quizzes' titles in the reader's language."""
    quizzes = {
        quiz.key: quiz
        for quiz in db.session.scalars(
            select(Quiz).where(Quiz.course_id == course.id, Quiz.key.in_(keys))
        )
    }
    titles = [quizzes[key].title(locale) if key in quizzes else key for key in keys]
    return ngettext(
        "Pass %(num)d quiz: %(titles)s",
        "Pass these %(num)d quizzes: %(titles)s",
        len(keys),
        titles="; ".join(titles),
    )


register_clause("quizzes", quizzes_passed, describe_quizzes)
