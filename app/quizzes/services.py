"""Taking quizzes: who may start an attempt, starting one, submitting it (flush only).

Submission is idempotent: the attempt row is scored by one conditional UPDATE
(``… WHERE submitted_at IS NULL``), so a double click, a resent form, a second tab or a
retry after a dropped connection can never score an attempt twice or lose it.
"""

import functools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import TextClause, Update, bindparam, exc, text, update
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import User
from app.courses.content.quiz_shapes import Answers
from app.courses.models import Course, Enrolment
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.learning.completion import Event, Outcome, record_progress
from app.learning.gains import record_gain
from app.learning.models import KnowledgeGain
from app.learning.progress import required_lessons_done
from app.learning.queries import get_gain
from app.quizzes import queries
from app.quizzes.answers import parse_answers
from app.quizzes.clauses import may_complete
from app.quizzes.models import Attempt, AttemptItem, Quiz
from app.quizzes.scoring import draw_questions, drawn_questions, score_attempt

# Time allowed after the limit for the answer sheet to reach the server.
SUBMIT_GRACE = timedelta(seconds=30)
_random = random.SystemRandom()


class TimeUp(ValidationFailed):
    """The attempt's time limit has passed; the submission is not scored."""


@dataclass
class QuizStatus:
    """What a learner may do with a quiz now."""

    phase: str
    attempts: list[Attempt]
    open_attempt: Attempt | None
    can_start: bool
    reason: str | None = None
    wait_until: datetime | None = None

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts if a.phase == self.phase)


def is_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    """An unsubmitted attempt whose time is up (it counts as used, unscored)."""
    now = now or utcnow()
    return (
        attempt.submitted_at is None
        and attempt.deadline_at is not None
        and (now > attempt.deadline_at + SUBMIT_GRACE)
    )


def seconds_left(attempt: Attempt, now: datetime | None = None) -> int | None:
    """Whole seconds until a timed attempt's deadline (0 once passed); None if untimed.
    The page shows it and the script counts it down; the server's deadline decides."""
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - (now or utcnow())).total_seconds()))


def phase_of(quiz: Quiz, course: Course, attempts: list[Attempt]) -> str:
    """``pre`` until the pre-test is taken, ``post`` for the post-test, else ``quiz``."""
    taken_pre = any(a.phase == "pre" and a.submitted_at for a in attempts)
    if quiz.key == course.pre_test_key and not taken_pre:
        return "pre"
    if quiz.key == course.post_test_key:
        return "post"
    return "quiz"


def quiz_status(user: User, quiz: Quiz, enrolment: Enrolment | None, now=None) -> QuizStatus:
    """Whether ``user`` may start an attempt now, and if not, why."""
    now = now or utcnow()
    attempts = queries.list_attempts(user, quiz)
    phase = phase_of(quiz, quiz.course, attempts)
    in_phase = [a for a in attempts if a.phase == phase]
    open_attempt = next(
        (a for a in in_phase if not a.submitted_at and not is_expired(a, now)), None
    )
    status = QuizStatus(phase, attempts, open_attempt, can_start=False)
    if enrolment is None:
        status.reason = _("Enrol in the course to take its quizzes.")
    elif open_attempt is not None:
        status.can_start = True  # "continue" the open attempt
    elif phase == "post" and not required_lessons_done(user, quiz.course, _lessons_rule(quiz)):
        status.reason = _("The final test opens when you have completed the lessons.")
    elif quiz.max_attempts is not None and phase != "pre" and len(in_phase) >= quiz.max_attempts:
        status.reason = _("You have used all your attempts at this quiz.")
    elif (wait := _cooldown_end(quiz, in_phase)) and wait > now:
        status.reason, status.wait_until = _("You can try again later."), wait
    else:
        status.can_start = True
    return status


def _cooldown_end(quiz: Quiz, attempts: list[Attempt]) -> datetime | None:
    finished = [
        a.submitted_at or a.deadline_at for a in attempts if a.submitted_at or a.deadline_at
    ]
    if not finished or not quiz.wait_minutes:
        return None
    scale = current_app.config["QUIZ_WAIT_SCALE"]
    return max(finished) + timedelta(minutes=quiz.wait_minutes * scale)


def start_attempt(user: User, quiz: Quiz, enrolment, locale: str, rng=_random) -> Attempt:
    """Start an attempt, or return the one already open (starting twice starts once)."""
    status = quiz_status(user, quiz, enrolment)
    if status.open_attempt is not None:
        return status.open_attempt
    if not status.can_start:
        raise PermissionDenied(status.reason)
    now = utcnow()
    number = 1 + sum(1 for a in status.attempts if a.phase == status.phase)
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    draw = draw_questions(quiz.definition, rng)
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=user.id,
        phase=status.phase,
        number=number,
        locale=locale,
        draw=draw,
        questions=drawn_questions(quiz.definition, draw),
        started_at=now,
        deadline_at=deadline,
    )
    try:
        with db.session.begin_nested():  # another tab may have started the same attempt
            db.session.add(attempt)
    except exc.IntegrityError:
        return quiz_status(user, quiz, enrolment).open_attempt or _raise_busy()
    return attempt


def _raise_busy():
    raise PermissionDenied(_("An attempt was just started in another window. Reload the page."))


def submit_attempt(user: User, attempt: Attempt, form, now=None) -> Outcome:
    """Score ``attempt`` from the answer sheet ``form``; the Outcome says whether this call
    scored it (``recorded``) and whether that completed the course.

    An attempt already submitted is left as it is (nothing recorded). Raises ValidationFailed for
    a malformed sheet, TimeUp after the time limit, PermissionDenied for someone else's.
    """
    now = now or utcnow()
    if attempt.user_id != user.id:
        raise PermissionDenied(_("This is not your attempt."))
    if attempt.submitted_at is not None:
        return Outcome()
    if is_expired(attempt, now):
        raise TimeUp(_("The time for this attempt ran out; it was not scored."))
    quiz = attempt.quiz
    answers = read_answers(attempt, form)
    score = score_attempt(attempt.questions, attempt.draw, answers)
    values = {
        "submitted_at": now,
        "answers": answers,
        "score": score.points,
        "max_score": score.maximum,
        "percent": round(score.percent, 2),
    }
    values["passed"] = values["percent"] >= quiz.pass_mark
    if not _store_score(attempt, values, score):
        # Another request scored it first: what it stored is read when next asked for
        # (the view asks for nothing of it, so a lost race costs no query).
        db.session.expire(attempt, list(_SCORED))
        return Outcome()
    for key, value in values.items():  # what the UPDATE stored, without reading it back
        set_committed_value(attempt, key, value)
    if attempt.phase == "post":
        record_knowledge_gain(user, quiz.course)
    db.session.flush()
    if not may_complete(user, attempt):
        return Outcome(recorded=1)
    return Outcome(recorded=1) + record_progress(user, quiz.course, Event.QUIZ_PASSED)


def _store_score(attempt: Attempt, values: dict, score) -> bool:
    """Store the score ``values`` and one row per item of ``score`` if the attempt is
    still unscored; whether it was (False: another request scored it first, and
    nothing is stored). Core statements: the hot path of a busy quiz."""
    connection = db.session.connection()
    scored = {"attempt_id": attempt.id, **values}
    count = len(score.items)
    if not count:  # nothing drawn to score (no item rows)
        return connection.execute(_score_statement(), scored).rowcount == 1
    items = {"quiz_id": attempt.quiz_id, "locale": attempt.locale}
    for number, item in enumerate(score.items):
        items[f"question_{number}"] = item.question
        items[f"points_{number}"] = item.points
        items[f"correct_{number}"] = item.correct
    if connection.dialect.name == "postgresql":  # one round trip instead of two
        return connection.execute(_score_with_items(count), scored | items).rowcount == count
    if connection.execute(_score_statement(), scored).rowcount != 1:
        return False
    connection.execute(_insert_items(count), {"attempt_id": attempt.id} | items)
    return True


# The columns that scoring an attempt sets, and an answer item's columns in the order of
# the rows written below: one list each for the SQLite and the PostgreSQL statements.
_SCORED = ("submitted_at", "answers", "score", "max_score", "percent", "passed")
_ITEM_COLUMNS = "attempt_id, quiz_id, question_key, locale, points, correct"


@functools.cache
def _score_statement() -> Update:
    """``UPDATE attempts SET <_SCORED> WHERE id = :attempt_id AND submitted_at IS NULL``,
    built once per process: building the statement and its cache key at every
    submission cost more than running it. The condition is what makes scoring happen
    once: a second sending of the sheet updates no row."""
    columns = Attempt.__table__.c
    return (
        update(Attempt)
        .where(Attempt.id == bindparam("attempt_id"), Attempt.submitted_at.is_(None))
        # Typed as their columns: the time is stored in UTC, the answers as JSON.
        .values({name: bindparam(name, type_=columns[name].type) for name in _SCORED})
    )


@functools.cache
def _insert_items(count: int) -> TextClause:
    """``INSERT INTO attempt_items … VALUES`` of ``count`` rows with named parameters, as
    text: SQLAlchemy does not cache the compiled form of a many-row ``insert().values()``
    (it would be compiled again at every submission); this is built once per number of
    questions and cached like any statement."""
    rows = ", ".join(
        f"(:attempt_id, :quiz_id, :question_{n}, :locale, :points_{n}, :correct_{n})"
        for n in range(count)
    )
    return text(f"INSERT INTO {AttemptItem.__tablename__} ({_ITEM_COLUMNS}) VALUES {rows}")


@functools.cache
def _score_with_items(count: int) -> TextClause:
    """PostgreSQL: ``_score_statement`` and ``_insert_items`` as one statement. The
    UPDATE in the WITH returns the attempt's id only if it changed the row, and the items
    are inserted from that row: a sheet already scored (or scored meanwhile by a request
    this one waited for) inserts none, so the row count says whether it was stored."""
    rows = ", ".join(
        f"(:question_{n}, CAST(:points_{n} AS FLOAT), CAST(:correct_{n} AS BOOLEAN))"
        for n in range(count)
    )
    columns = Attempt.__table__.c
    scored_columns = ", ".join(f"{name} = :{name}" for name in _SCORED)
    return text(
        "WITH scored AS ("
        f" UPDATE {Attempt.__tablename__} SET {scored_columns}"
        " WHERE id = :attempt_id AND submitted_at IS NULL RETURNING id)"
        f" INSERT INTO {AttemptItem.__tablename__} ({_ITEM_COLUMNS})"
        " SELECT scored.id, :quiz_id, item.question_key, :locale, item.points, item.correct"
        f" FROM scored CROSS JOIN (VALUES {rows}) AS item (question_key, points, correct)"
    ).bindparams(
        # Typed as the columns they set: converted (UTC, JSON) and cast as in an UPDATE.
        bindparam("submitted_at", type_=columns["submitted_at"].type),
        bindparam("answers", type_=columns["answers"].type),
    )


def read_answers(attempt: Attempt, form) -> Answers:
    """The answers of an attempt's sheet; ValidationFailed says what is malformed."""
    units = _UnitsShown(attempt.quiz_id, attempt.locale)
    return parse_answers(attempt.questions, attempt.draw, form, attempt.locale, units)


class _UnitsShown(Mapping):
    """Each numeric question's unit as the attempt's language shows it, read from the
    quiz's texts when first asked: only a number typed with text after it needs them,
    so most answer sheets are read without that query."""

    def __init__(self, quiz_id: int, locale: str):
        self.quiz_id, self.locale = quiz_id, locale
        self._units: dict[str, str] | None = None

    def _loaded(self) -> dict[str, str]:
        if self._units is None:
            text = queries.get_quiz_text(self.quiz_id, self.locale)
            texts = text.texts.items() if text else ()
            self._units = {qid: t.get("unit", "") for qid, t in texts}
        return self._units

    def __getitem__(self, qid: str) -> str:
        return self._loaded()[qid]

    def __iter__(self):
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def record_knowledge_gain(user: User, course: Course) -> KnowledgeGain | None:
    """Pair the first pre-test with the first post-test, once per learner and course."""
    existing = get_gain(user, course)
    if existing is not None:
        return existing
    pre, post = (queries.first_submitted_attempt(user, course, phase) for phase in ("pre", "post"))
    if pre is None or post is None:
        return None
    return record_gain(user, course, pre, post)


def _lessons_rule(quiz: Quiz) -> str:
    return quiz.course.completion_rule.get("lessons", "required")
