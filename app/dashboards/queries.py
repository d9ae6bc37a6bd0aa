"""Reporting figures, one function per figure, each one SQL query returning plain rows.

A ``Scope`` says whose figures (a programme's institutions) and which filters apply (an
institution, a profession, a course, completion dates). Figures count distinct people.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, func, select, true

from app.auth.models import User
from app.conferences.models import ConferenceAttendance, ConferenceSeries
from app.courses.models import Course, Enrolment
from app.extensions import db
from app.institutions.models import Institution, programme_institutions
from app.quizzes.models import Attempt, Completion, KnowledgeGain, Quiz


@dataclass(frozen=True)
class Scope:
    """Whose figures: a programme's institutions, or one institution (``programme_id``
    None); ``aggregate_only`` hides small counts (funders), coordinators see them."""

    programme_id: int | None
    institution_id: int | None = None
    profession: str | None = None
    course_id: int | None = None
    since: date | None = None
    until: date | None = None
    aggregate_only: bool = True


def _people(scope: Scope):
    """Conditions on ``User`` (and its institution) for the scope."""
    conditions = []
    if scope.programme_id is not None:
        members = select(programme_institutions.c.institution_id).where(
            programme_institutions.c.programme_id == scope.programme_id
        )
        conditions.append(User.institution_id.in_(members))
    if scope.institution_id is not None:
        conditions.append(User.institution_id == scope.institution_id)
    if scope.profession:
        conditions.append(User.profession == scope.profession)
    return and_(true(), *conditions)


def _completions(scope: Scope):
    """Conditions on ``Completion`` for the scope's course and dates (UTC days)."""
    conditions = []
    if scope.course_id is not None:
        conditions.append(Completion.course_id == scope.course_id)
    if scope.since:
        conditions.append(Completion.completed_at >= _moment(scope.since, time.min))
    if scope.until:
        conditions.append(Completion.completed_at <= _moment(scope.until, time.max))
    return and_(true(), *conditions)


def _moment(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo("UTC"))


def count_finished(scope: Scope) -> int:
    """People with a completion record (any course unless filtered)."""
    return db.session.scalar(
        select(func.count(distinct(Completion.user_id)))
        .join(User, User.id == Completion.user_id)
        .where(_people(scope), _completions(scope))
    )


def list_finished_by_institution(scope: Scope) -> list:
    """Per institution: people enrolled, and people who finished."""
    finished = (
        select(User.institution_id, func.count(distinct(Completion.user_id)).label("n"))
        .join(Completion, Completion.user_id == User.id)
        .where(_people(scope), _completions(scope))
        .group_by(User.institution_id)
        .subquery()
    )
    enrolled = _enrolled_by(User.institution_id, scope)
    return db.session.execute(
        select(
            Institution.id,
            Institution.name,
            Institution.country,
            func.coalesce(enrolled.c.n, 0),
            func.coalesce(finished.c.n, 0),
        )
        .outerjoin(enrolled, enrolled.c.key == Institution.id)
        .outerjoin(finished, finished.c.institution_id == Institution.id)
        .where(
            Institution.id.in_(
                select(programme_institutions.c.institution_id).where(
                    programme_institutions.c.programme_id == scope.programme_id
                )
            )
        )
        .where(true() if scope.institution_id is None else Institution.id == scope.institution_id)
        .order_by(Institution.country, Institution.name)
    ).all()


def _enrolled_by(column, scope: Scope):
    query = (
        select(column.label("key"), func.count(distinct(Enrolment.user_id)).label("n"))
        .join(User, User.id == Enrolment.user_id)
        .where(_people(scope))
        .group_by(column)
    )
    if scope.course_id is not None:
        query = query.where(Enrolment.course_id == scope.course_id)
    return query.subquery()


def list_finished_by_profession(scope: Scope) -> list:
    """Per profession: people enrolled, and people who finished."""
    enrolled = _enrolled_by(User.profession, scope)
    finished = dict(
        db.session.execute(
            select(User.profession, func.count(distinct(Completion.user_id)))
            .join(Completion, Completion.user_id == User.id)
            .where(_people(scope), _completions(scope))
            .group_by(User.profession)
        ).all()
    )
    rows = db.session.execute(select(enrolled.c.key, enrolled.c.n)).all()
    return [(profession, n, finished.get(profession, 0)) for profession, n in rows]


def list_by_course(scope: Scope) -> list:
    """Per course: enrolled, in progress (a lesson opened, no completion yet), completed.

    "Opened a lesson" is the enrolment's last activity (set on the first lesson visit),
    so the millions of progress rows need not be read.
    """
    completed = (
        select(Completion.user_id, Completion.course_id).where(_completions(scope)).subquery()
    )
    done = func.count(distinct(completed.c.user_id))
    begun = func.count(distinct(case((Enrolment.last_activity_at.is_not(None), Enrolment.user_id))))
    rows = db.session.execute(
        select(Course.id, Course.titles, func.count(distinct(Enrolment.user_id)), begun, done)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(completed, and_(completed.c.user_id == Enrolment.user_id,
                                   completed.c.course_id == Course.id))
        .where(_people(scope), true() if scope.course_id is None else Course.id == scope.course_id)
        .group_by(Course.id)  # titles depend on the key (PostgreSQL cannot group JSON)
        .order_by(Course.id)
    ).all()  # fmt: skip
    return [(cid, titles, enrolled, max(started - finished, 0), finished)
            for cid, titles, enrolled, started, finished in rows]  # fmt: skip


def list_completions_by_month(scope: Scope) -> list:
    """(``YYYY-MM``, people who finished that month) in month order (first completion)."""
    first = (
        select(Completion.user_id, func.min(Completion.completed_at).label("at"))
        .join(User, User.id == Completion.user_id)
        .where(_people(scope), _completions(scope))
        .group_by(Completion.user_id)
        .subquery()
    )
    month = _month(first.c.at)
    return db.session.execute(
        select(month, func.count()).select_from(first).group_by(month).order_by(month)
    ).all()


def _month(column):
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def list_gain_by(dimension: str, scope: Scope) -> list:
    """Knowledge gain (matched pre/post pairs) per institution or per language of the
    post-test: n, mean gain, and the mean of squares (for the standard deviation)."""
    key = Institution.name if dimension == "institution" else Attempt.locale
    query = (
        select(
            key,
            func.count(),
            func.avg(KnowledgeGain.gain),
            func.avg(KnowledgeGain.gain * KnowledgeGain.gain),
        )
        .join(User, User.id == KnowledgeGain.user_id)
        .join(Institution, Institution.id == User.institution_id)
        .join(Attempt, Attempt.id == KnowledgeGain.post_attempt_id)
        .where(_people(scope))
        .group_by(key)
        .order_by(key)
    )
    if scope.course_id is not None:
        query = query.where(KnowledgeGain.course_id == scope.course_id)
    return db.session.execute(query).all()


def list_quiz_pass_rates(scope: Scope) -> list:
    """Per quiz: people who submitted an attempt, and people who passed it."""
    passed = func.count(distinct(case((Attempt.passed.is_(True), Attempt.user_id))))
    query = (
        select(Quiz.id, Quiz.titles, func.count(distinct(Attempt.user_id)), passed)
        .join(Attempt, Attempt.quiz_id == Quiz.id)
        .join(User, User.id == Attempt.user_id)
        .where(_people(scope), Attempt.submitted_at.is_not(None), Attempt.phase != "pre")
        .group_by(Quiz.id)
        .order_by(Quiz.course_id, Quiz.position)
    )
    if scope.course_id is not None:
        query = query.where(Quiz.course_id == scope.course_id)
    return db.session.execute(query).all()


def count_conference_attendance(scope: Scope) -> tuple[int, int]:
    """Case-conference sessions attended by the scope's people, and how many people."""
    row = db.session.execute(
        select(func.count(), func.count(distinct(ConferenceAttendance.user_id)))
        .join(User, User.id == ConferenceAttendance.user_id)
        .where(_people(scope), ConferenceAttendance.present.is_(True))
    ).one()
    return row[0], row[1]


def list_conference_figures(scope: Scope) -> list:
    """Per case-conference series of the programme: sessions with recorded attendance,
    attendances, and distinct people who attended."""
    return db.session.execute(
        select(
            ConferenceSeries.title,
            func.count(distinct(ConferenceAttendance.occurrence_start)),
            func.count(),
            func.count(distinct(ConferenceAttendance.user_id)),
        )
        .join(ConferenceAttendance, ConferenceAttendance.series_id == ConferenceSeries.id)
        .where(
            ConferenceSeries.programme_id == scope.programme_id,
            ConferenceAttendance.present.is_(True),
        )
        .group_by(ConferenceSeries.id)
        .order_by(ConferenceSeries.title)
    ).all()
