"""Reporting figures, one function per figure, each one SQL query returning plain rows.

A ``Scope`` says whose figures (a programme's institutions, or one institution) and which
filters apply. People's figures are read from the summary tables (app/dashboards/summary.py)
so that a query reads a few thousand rows whatever the number of learners; with a cohort
filter they are read from the cohort members' own summary rows. Figures count distinct
people; months are calendar months in UTC.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, case, distinct, func, literal, select, true

from app.auth.models import User
from app.cohorts.models import Cohort, CohortMember
from app.conferences.models import ConferenceAttendance, ConferenceSeries
from app.courses.models import Course
from app.dashboards.models import ANY_COURSE, NOT_FINISHED, ReportCount, ReportGain, ReportPerson
from app.extensions import db
from app.institutions.models import Institution, programme_institutions
from app.quizzes.models import Attempt, Quiz


@dataclass(frozen=True)
class Scope:
    """Whose figures: a programme's institutions, or one institution (``programme_id``
    None); ``aggregate_only`` hides small counts (funders), coordinators see them.
    ``since`` and ``until`` are months (``YYYY-MM``, both included)."""

    programme_id: int | None
    institution_id: int | None = None
    profession: str | None = None
    course_id: int | None = None
    cohort_id: int | None = None
    language: str | None = None
    since: str | None = None
    until: str | None = None
    aggregate_only: bool = True


def _programme_institutions(programme_id: int):
    return select(programme_institutions.c.institution_id).where(
        programme_institutions.c.programme_id == programme_id
    )


def _where(source, scope: Scope) -> list:
    """The scope's conditions on a summary source's columns."""
    conditions = []
    if scope.programme_id is not None:
        conditions.append(source.c.institution_id.in_(_programme_institutions(scope.programme_id)))
    if scope.institution_id is not None:
        conditions.append(source.c.institution_id == scope.institution_id)
    if scope.profession:
        conditions.append(source.c.profession == scope.profession)
    if scope.language:
        conditions.append(source.c.language == scope.language)
    return conditions


def _in_months(column, scope: Scope) -> list:
    """``column`` (a ``YYYY-MM`` text, "" for never) within the scope's months."""
    conditions = [column != NOT_FINISHED]
    if scope.since:
        conditions.append(column >= scope.since)
    if scope.until:
        conditions.append(column <= scope.until)
    return conditions


def _counts(scope: Scope):
    """People per bucket in scope (columns of ``report_counts``): the sums, or with a
    cohort filter its members' own rows, each counting one person."""
    if scope.cohort_id is None:
        return ReportCount.__table__
    person = ReportPerson.__table__
    return (
        select(
            person.c.institution_id, person.c.profession, person.c.language,
            person.c.course_key, person.c.finished_month,
            literal(1).label("people"), person.c.begun,
        )
        .join(CohortMember, CohortMember.user_id == person.c.user_id)
        .where(CohortMember.cohort_id == scope.cohort_id)
        .subquery()
    )  # fmt: skip


def _overall(scope: Scope):
    """The count source and its conditions for people over all courses (or the one
    course of the filter)."""
    source = _counts(scope)
    course_key = ANY_COURSE if scope.course_id is None else scope.course_id
    return source, [*_where(source, scope), source.c.course_key == course_key]


def _finished_people(source, scope: Scope):
    return func.coalesce(
        func.sum(case((and_(*_in_months(source.c.finished_month, scope)), source.c.people))), 0
    )


def list_finished_by_institution(scope: Scope) -> list:
    """Per institution of the programme: (id, name, country, enrolled, finished)."""
    source, conditions = _overall(scope)
    figures = (
        select(
            source.c.institution_id,
            func.sum(source.c.people).label("enrolled"),
            _finished_people(source, scope).label("finished"),
        )
        .where(*conditions)
        .group_by(source.c.institution_id)
        .subquery()
    )
    shown = Institution.id.in_(_programme_institutions(scope.programme_id))
    if scope.institution_id is not None:
        shown = Institution.id == scope.institution_id
    return db.session.execute(
        select(
            Institution.id,
            Institution.name,
            Institution.country,
            func.coalesce(figures.c.enrolled, 0),
            func.coalesce(figures.c.finished, 0),
        )
        .outerjoin(figures, figures.c.institution_id == Institution.id)
        .where(shown)
        .order_by(Institution.country, Institution.name)
    ).all()


def list_finished_by_profession(scope: Scope) -> list:
    """Per profession: (profession, enrolled, finished)."""
    source, conditions = _overall(scope)
    return db.session.execute(
        select(source.c.profession, func.sum(source.c.people), _finished_people(source, scope))
        .where(*conditions)
        .group_by(source.c.profession)
        .order_by(source.c.profession)
    ).all()


def list_by_course(scope: Scope) -> list:
    """Per course: (id, titles, enrolled, in progress, completed). In progress: opened a
    lesson and not finished (yet); completed: finished within the scope's months."""
    source = _counts(scope)
    conditions = [*_where(source, scope), source.c.course_key != ANY_COURSE]
    if scope.course_id is not None:
        conditions.append(source.c.course_key == scope.course_id)
    figures = (
        select(
            source.c.course_key,
            func.sum(source.c.people).label("enrolled"),
            func.sum(case((source.c.finished_month == NOT_FINISHED, source.c.begun), else_=0))
            .label("in_progress"),
            _finished_people(source, scope).label("completed"),
        )
        .where(*conditions)
        .group_by(source.c.course_key)
        .subquery()
    )  # fmt: skip
    return db.session.execute(
        select(Course.id, Course.titles, figures.c.enrolled, figures.c.in_progress,
               figures.c.completed)
        .join(figures, figures.c.course_key == Course.id)
        .order_by(Course.id)
    ).all()  # fmt: skip


def list_completions_by_month(scope: Scope) -> list:
    """(``YYYY-MM``, people who finished that month) in month order (first completion)."""
    source, conditions = _overall(scope)
    month = source.c.finished_month
    return db.session.execute(
        select(month, func.sum(source.c.people))
        .where(*conditions, *_in_months(month, scope))
        .group_by(month)
        .order_by(month)
    ).all()


def _gains(scope: Scope):
    """Knowledge-gain sums in scope (columns of ``report_gains``), or with a cohort
    filter its members' own gains."""
    if scope.cohort_id is None:
        return ReportGain.__table__
    person = ReportPerson.__table__
    gain = person.c.gain
    return (
        select(
            person.c.institution_id, person.c.profession, person.c.course_key.label("course_id"),
            person.c.gain_language.label("language"), person.c.gain_month.label("month"),
            literal(1).label("pairs"), gain.label("total"), (gain * gain).label("squares"),
        )
        .join(CohortMember, CohortMember.user_id == person.c.user_id)
        .where(CohortMember.cohort_id == scope.cohort_id, gain.is_not(None))
        .subquery()
    )  # fmt: skip


def list_gain_by(dimension: str, scope: Scope) -> list:
    """Knowledge gain (matched pre/post pairs) per institution or per language of the
    post-test: (group, n, mean gain, mean of squared gains), gains in points."""
    source = _gains(scope)
    conditions = [*_where(source, scope), *_in_months(source.c.month, scope)]
    if scope.course_id is not None:
        conditions.append(source.c.course_id == scope.course_id)
    query = select(func.sum(source.c.pairs), func.sum(source.c.total), func.sum(source.c.squares))
    if dimension == "institution":
        key = Institution.name
        query = query.join(Institution, Institution.id == source.c.institution_id)
    else:
        key = source.c.language
    rows = db.session.execute(
        query.add_columns(key).where(*conditions).group_by(key).order_by(key)
    ).all()
    return [
        (label, n, float(total) / n / 100, float(squares) / n / 10_000)
        for n, total, squares, label in rows
        if n
    ]


# --- Raw figures: small per institution or per programme, read from their own tables. ---


def _people(scope: Scope):
    """Conditions on ``User`` (and its institution) for the scope."""
    conditions = []
    if scope.programme_id is not None:
        conditions.append(User.institution_id.in_(_programme_institutions(scope.programme_id)))
    if scope.institution_id is not None:
        conditions.append(User.institution_id == scope.institution_id)
    if scope.profession:
        conditions.append(User.profession == scope.profession)
    if scope.language:
        language = select(func.coalesce(User.locale, Institution.default_locale)).where(
            Institution.id == User.institution_id
        )
        conditions.append(language.scalar_subquery() == scope.language)
    if scope.cohort_id is not None:
        members = select(CohortMember.user_id).where(CohortMember.cohort_id == scope.cohort_id)
        conditions.append(User.id.in_(members))
    return and_(true(), *conditions)


def _moments(column, scope: Scope) -> list:
    """``column`` (a moment) within the scope's months."""
    conditions = []
    if scope.since:
        conditions.append(column >= month_start(scope.since))
    if scope.until:
        conditions.append(column < month_start(scope.until, after=True))
    return conditions


def month_start(month: str, after: bool = False) -> datetime:
    """The first moment of a ``YYYY-MM`` month in UTC (``after``: of the next month)."""
    year, number = (int(part) for part in month.split("-"))
    if after:
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return datetime(year, number, 1, tzinfo=UTC)


def list_quiz_pass_rates(scope: Scope) -> list:
    """Per quiz: (id, titles, people who submitted an attempt, people who passed)."""
    passed = func.count(distinct(case((Attempt.passed.is_(True), Attempt.user_id))))
    query = (
        select(Quiz.id, Quiz.titles, func.count(distinct(Attempt.user_id)), passed)
        .join(Attempt, Attempt.quiz_id == Quiz.id)
        .join(User, User.id == Attempt.user_id)
        .where(_people(scope), Attempt.submitted_at.is_not(None), Attempt.phase != "pre")
        .where(*_moments(Attempt.submitted_at, scope))
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
        .where(*_moments(ConferenceAttendance.occurrence_start, scope))
    ).one()
    return row[0], row[1]


def list_conference_figures(scope: Scope) -> list:
    """Per case-conference series of the programme: (title, sessions attended by the
    scope's people, their attendances, and how many of them attended)."""
    return db.session.execute(
        select(
            ConferenceSeries.title,
            func.count(distinct(ConferenceAttendance.occurrence_start)),
            func.count(),
            func.count(distinct(ConferenceAttendance.user_id)),
        )
        .join(ConferenceAttendance, ConferenceAttendance.series_id == ConferenceSeries.id)
        .join(User, User.id == ConferenceAttendance.user_id)
        .where(
            _people(scope),
            ConferenceSeries.programme_id == scope.programme_id,
            ConferenceAttendance.present.is_(True),
            *_moments(ConferenceAttendance.occurrence_start, scope),
        )
        .group_by(ConferenceSeries.id)
        .order_by(ConferenceSeries.title)
    ).all()


def quiz_titles() -> dict[tuple[int, str], dict]:
    """Every quiz's titles by (course id, quiz key), for naming completion rules."""
    rows = db.session.execute(select(Quiz.course_id, Quiz.key, Quiz.titles)).all()
    return {(course_id, key): titles for course_id, key, titles in rows}


def list_cohort_choices(scope: Scope) -> list:
    """(id, name) of the cohorts of the scope's institution, for the cohort filter."""
    return db.session.execute(
        select(Cohort.id, Cohort.name)
        .where(Cohort.institution_id == scope.institution_id)
        .order_by(Cohort.name)
    ).all()
