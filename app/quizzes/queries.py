"""Read-only queries for quiz pages: a course's quizzes, texts, item statistics."""

import functools
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.courses.models import Course
from app.extensions import db
from app.quizzes.models import Attempt, AttemptItem, Quiz, QuizText


def list_course_quizzes(course_id: int) -> list[Quiz]:
    """The current quizzes of a course, in file order."""
    query = select(Quiz).where(Quiz.course_id == course_id, Quiz.retired_at.is_(None))
    return list(db.session.scalars(query.order_by(Quiz.position)))


def get_quiz(course_id: int, key: str) -> Quiz | None:
    return db.session.scalar(
        select(Quiz).where(Quiz.course_id == course_id, Quiz.key == key, Quiz.retired_at.is_(None))
    )


def get_quiz_text(quiz_id: int, locale: str) -> QuizText | None:
    return db.session.get(QuizText, (quiz_id, locale))


def texts_to_show(quiz: Quiz, locale: str) -> tuple[dict, str]:
    """A quiz's question texts for staff pages, and their language: the viewer's where
    the quiz has it, else English, else any (a staff page never fails for a language)."""
    query = select(QuizText).where(QuizText.quiz_id == quiz.id)
    rows = {row.locale: row for row in db.session.scalars(query)}
    for wanted in (locale, "en", *sorted(rows)):
        if wanted in rows:
            return rows[wanted].texts, wanted
    return {}, locale


@dataclass
class ItemStatistic:
    """How one question fared in one language."""

    question: str
    locale: str
    answered: int
    facility: float  # share answered fully right (0–1)
    discrimination: float | None  # right among the top 27% minus among the bottom 27%


def item_statistics(quiz_id: int) -> list[ItemStatistic]:
    """Per question and language: facility and upper–lower discrimination (two queries).

    Within each language, attempts are ranked by total score; discrimination compares a
    question's facility among the top 27% with the bottom 27% (Kelley). A question that
    a translation made harder shows up as a lower facility in that language.
    """
    rows = db.session.execute(
        select(
            AttemptItem.question_key,
            AttemptItem.locale,
            AttemptItem.attempt_id,
            AttemptItem.correct,
        ).where(AttemptItem.quiz_id == quiz_id)
    ).all()
    scores = dict(
        db.session.execute(
            select(Attempt.id, Attempt.percent).where(
                Attempt.quiz_id == quiz_id, Attempt.percent.is_not(None)
            )
        ).all()
    )
    by_locale: dict[str, set[int]] = {}
    groups: dict[tuple[str, str], list] = {}
    for question, locale, attempt_id, correct in rows:
        by_locale.setdefault(locale, set()).add(attempt_id)
        groups.setdefault((question, locale), []).append((attempt_id, correct))
    extremes = {locale: _extremes(ids, scores) for locale, ids in by_locale.items()}
    return [
        _statistic(q, loc, answers, *extremes[loc]) for (q, loc), answers in sorted(groups.items())
    ]


def _extremes(attempt_ids: set[int], scores: dict) -> tuple[set[int], set[int]]:
    """The top and bottom 27% of attempts by score (ties broken by attempt id)."""
    ranked = sorted(attempt_ids, key=lambda a: (scores.get(a, 0), a))
    cut = max(1, round(len(ranked) * 0.27))
    return set(ranked[-cut:]), set(ranked[:cut])


def _statistic(question, locale, answers, upper, lower) -> ItemStatistic:
    def facility(items):
        return sum(correct for _, correct in items) / len(items) if items else None

    top = facility([a for a in answers if a[0] in upper])
    bottom = facility([a for a in answers if a[0] in lower])
    discrimination = top - bottom if top is not None and bottom is not None else None
    return ItemStatistic(question, locale, len(answers), facility(answers), discrimination)


def count_submitted(quiz_id: int) -> int:
    return db.session.scalar(
        select(func.count(Attempt.id)).where(
            Attempt.quiz_id == quiz_id, Attempt.submitted_at.is_not(None)
        )
    )


def pre_test_taken_column(user_id: int):
    """Whether the user submitted the pre-test of the course selected beside it, as a
    column correlated to ``courses`` (the lesson page reads it with the course)."""
    return (
        select(Attempt.id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.phase == "pre",
            Quiz.course_id == Course.id,
            Quiz.key == Course.pre_test_key,
            Attempt.submitted_at.is_not(None),
        )
        .correlate(Course)
        .exists()
    )


def has_taken_pre_test(user_id: int, course_id: int, quiz_key: str) -> bool:
    """Whether the user submitted the course's pre-test (one query)."""
    query = (
        select(Attempt.id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id == user_id,
            Attempt.phase == "pre",
            Quiz.course_id == course_id,
            Quiz.key == quiz_key,
            Attempt.submitted_at.is_not(None),
        )
        .limit(1)
    )
    return db.session.scalar(query) is not None


@dataclass
class QuizProgress:
    """A learner's results at one quiz, for the course outline."""

    quiz: Quiz
    attempts: int = 0
    best_percent: float | None = None
    passed: bool = False
    pre_taken: bool = False


def list_quiz_progress(user_id: int, course_id: int) -> list[QuizProgress]:
    """Each current quiz of the course with the user's results (two queries)."""
    quizzes = list_course_quizzes(course_id)
    progress = {quiz.id: QuizProgress(quiz) for quiz in quizzes}
    attempts = db.session.execute(
        select(Attempt.quiz_id, Attempt.phase, Attempt.percent, Attempt.passed).where(
            Attempt.user_id == user_id, Attempt.quiz_id.in_(list(progress))
        )
    ).all()
    for quiz_id, phase, percent, passed in attempts:
        item = progress[quiz_id]
        item.attempts += 1
        item.pre_taken = item.pre_taken or (phase == "pre" and percent is not None)
        if phase != "pre" and percent is not None:
            item.best_percent = max(percent, item.best_percent or 0)
            item.passed = item.passed or bool(passed)
    return list(progress.values())


def get_attempt(attempt_id: int) -> Attempt | None:
    """An attempt with the quiz settings that scoring needs, in one query (the attempt
    carries its own questions, so the quiz's pools are not loaded)."""
    return db.session.scalar(_attempt_query(), {"attempt_id": attempt_id})


@functools.cache
def _attempt_query():
    """The statement of ``get_attempt``, built once: building it with its loader options
    took longer than running it (every answer sheet submitted loads an attempt)."""
    settings = (
        Quiz.id,
        Quiz.key,
        Quiz.course_id,
        Quiz.pass_mark,
        Quiz.time_limit_minutes,
        Quiz.max_attempts,
        Quiz.review,
    )
    return (
        select(Attempt)
        .where(Attempt.id == bindparam("attempt_id"))
        .options(joinedload(Attempt.quiz).load_only(*settings))
    )


def list_attempts(user: User, quiz: Quiz) -> list[Attempt]:
    """The user's attempts at ``quiz``, oldest first."""
    query = select(Attempt).where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)
    return list(db.session.scalars(query.order_by(Attempt.started_at, Attempt.id)))


def first_submitted_attempt(user: User, course: Course, phase: str) -> Attempt | None:
    """The user's first submitted attempt of ``phase`` (pre or post) in the course."""
    return db.session.scalar(
        select(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id == user.id,
            Quiz.course_id == course.id,
            Attempt.phase == phase,
            Attempt.submitted_at.is_not(None),
        )
        .order_by(Attempt.submitted_at, Attempt.id)
        .limit(1)
    )


def count_attempts(quiz: Quiz) -> int:
    """How many attempts a quiz has (for the statistics page)."""
    return db.session.scalar(select(func.count(Attempt.id)).where(Attempt.quiz_id == quiz.id))
