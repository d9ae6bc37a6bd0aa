"""Reporting figures, one function per figure, each one SQL query returning plain rows.

A ``Scope`` says whose figures (a programme's institutions, or one institution) and which
filters apply. People's figures are read from the summary tables (app/dashboards/summary.py)
so that a query reads a few thousand rows whatever the number of learners; with a cohort
filter they are read from the cohort members' own summary rows. Figures count distinct
people; months are calendar months in UTC.

Every function returns typed rows (the NamedTuples below), so that callers read figures
by name. The cascade's per-generation counts and the cohorts at a glance are read here
too: only the dashboards show them, and so are the reporting API's tokens.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import and_, case, distinct, func, literal, literal_column, or_, select, true
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.auth.permissions import scope as permitted
from app.cohorts.models import Cohort, CohortMember, CohortTrainer, cohort_courses
from app.conferences.models import ConferenceAttendance, ConferenceSeries
from app.courses.models import Course, Enrolment
from app.dashboards.models import (
    ANY_COURSE,
    NOT_FINISHED,
    ApiToken,
    ReportCount,
    ReportGain,
    ReportPerson,
)
from app.extensions import db
from app.institutions.models import Institution, programme_institutions
from app.learning.models import Completion
from app.quizzes.models import Attempt, Quiz
from app.trainers.cascade import Generation, count_trainers, pairs_query
from app.trainers.cascade import Scope as CascadeScope
from app.trainers.models import TrainerCertification


class InstitutionFigures(NamedTuple):
    id: int
    name: str
    country: str
    enrolled: int
    finished: int


class ProfessionFigures(NamedTuple):
    profession: str
    enrolled: int
    finished: int


class CourseFigures(NamedTuple):
    id: int
    titles: dict
    enrolled: int
    in_progress: int
    completed: int


class MonthFigures(NamedTuple):
    month: str  # YYYY-MM
    finished: int


class GainFigures(NamedTuple):
    group: str  # an institution's name or a language
    pairs: int  # matched pre/post pairs
    mean: float  # mean gain, in points
    mean_square: float  # mean of the squared gains


class QuizFigures(NamedTuple):
    id: int
    titles: dict
    took: int
    passed: int


class Attendance(NamedTuple):
    sessions: int
    people: int


class ConferenceFigures(NamedTuple):
    title: str
    sessions_held: int
    attendances: int
    people: int


class CohortChoice(NamedTuple):
    id: int
    name: str


class MemberProgress(NamedTuple):
    cohort_id: int
    joined_at: datetime
    lesson_at: datetime | None  # latest lesson visit in the cohort's courses
    quiz_at: datetime | None  # latest quiz start in the cohort's courses
    completed: int  # how many of the cohort's courses they completed


def _rows(row_type, query) -> list:
    """The query's rows, each as a ``row_type`` (its columns in the row type's order)."""
    return [row_type(*row) for row in db.session.execute(query)]


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
            person.c.institution_id,
            person.c.profession,
            person.c.language,
            person.c.course_key,
            person.c.finished_month,
            literal(1).label("people"),
            person.c.begun,
        )
        .join(CohortMember, CohortMember.user_id == person.c.user_id)
        .where(CohortMember.cohort_id == scope.cohort_id)
        .subquery()
    )


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


def list_finished_by_institution(scope: Scope) -> list[InstitutionFigures]:
    """Per institution of the programme: its people enrolled and finished."""
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
    return _rows(
        InstitutionFigures,
        select(
            Institution.id,
            Institution.name,
            Institution.country,
            func.coalesce(figures.c.enrolled, 0),
            func.coalesce(figures.c.finished, 0),
        )
        .outerjoin(figures, figures.c.institution_id == Institution.id)
        .where(shown)
        .order_by(Institution.country, Institution.name),
    )


def list_finished_by_profession(scope: Scope) -> list[ProfessionFigures]:
    """Per profession: people enrolled and finished."""
    source, conditions = _overall(scope)
    return _rows(
        ProfessionFigures,
        select(source.c.profession, func.sum(source.c.people), _finished_people(source, scope))
        .where(*conditions)
        .group_by(source.c.profession)
        .order_by(source.c.profession),
    )


def list_by_course(scope: Scope) -> list[CourseFigures]:
    """Per course: people enrolled, in progress and completed. In progress: opened a
    lesson and not finished (yet); completed: finished within the scope's months."""
    source = _counts(scope)
    conditions = [*_where(source, scope), source.c.course_key != ANY_COURSE]
    if scope.course_id is not None:
        conditions.append(source.c.course_key == scope.course_id)
    figures = (
        select(
            source.c.course_key,
            func.sum(source.c.people).label("enrolled"),
            func.sum(
                case((source.c.finished_month == NOT_FINISHED, source.c.begun), else_=0)
            ).label("in_progress"),
            _finished_people(source, scope).label("completed"),
        )
        .where(*conditions)
        .group_by(source.c.course_key)
        .subquery()
    )
    return _rows(
        CourseFigures,
        select(
            Course.id,
            Course.titles,
            figures.c.enrolled,
            figures.c.in_progress,
            figures.c.completed,
        )
        .join(figures, figures.c.course_key == Course.id)
        .order_by(Course.id),
    )


def list_completions_by_month(scope: Scope) -> list[MonthFigures]:
    """People who finished, per month of their first completion, in month order."""
    source, conditions = _overall(scope)
    month = source.c.finished_month
    return _rows(
        MonthFigures,
        select(month, func.sum(source.c.people))
        .where(*conditions, *_in_months(month, scope))
        .group_by(month)
        .order_by(month),
    )


def _gains(scope: Scope):
    """Knowledge-gain sums in scope (columns of ``report_gains``), or with a cohort
    filter its members' own gains."""
    if scope.cohort_id is None:
        return ReportGain.__table__
    person = ReportPerson.__table__
    gain = person.c.gain
    return (
        select(
            person.c.institution_id,
            person.c.profession,
            person.c.course_key.label("course_id"),
            person.c.gain_language.label("language"),
            person.c.gain_month.label("month"),
            literal(1).label("pairs"),
            gain.label("total"),
            (gain * gain).label("squares"),
        )
        .join(CohortMember, CohortMember.user_id == person.c.user_id)
        .where(CohortMember.cohort_id == scope.cohort_id, gain.is_not(None))
        .subquery()
    )


def list_gain_by(dimension: str, scope: Scope) -> list[GainFigures]:
    """Knowledge gain (matched pre/post pairs) per institution or per language of the
    post-test, gains in points."""
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
        GainFigures(label, n, float(total) / n / 100, float(squares) / n / 10_000)
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


PRE = literal_column("'pre'")


def list_quiz_pass_rates(scope: Scope) -> list[QuizFigures]:
    """Per quiz: people who submitted an attempt, and people who passed."""
    passed = func.count(distinct(case((Attempt.passed.is_(True), Attempt.user_id))))
    query = (
        select(Quiz.id, Quiz.titles, func.count(distinct(Attempt.user_id)), passed)
        .join(Attempt, Attempt.quiz_id == Quiz.id)
        .join(User, User.id == Attempt.user_id)
        # The phase as a literal, not a parameter: the conditions are then those of the
        # partial index ix_attempts_reported, in a prepared (generic) plan too.
        .where(_people(scope), Attempt.submitted_at.is_not(None), Attempt.phase != PRE)
        .where(*_moments(Attempt.submitted_at, scope))
        .group_by(Quiz.id)
        .order_by(Quiz.course_id, Quiz.position)
    )
    if scope.course_id is not None:
        query = query.where(Quiz.course_id == scope.course_id)
    return _rows(QuizFigures, query)


def count_conference_attendance(scope: Scope) -> Attendance:
    """Case-conference sessions attended by the scope's people, and how many people."""
    return Attendance(
        *db.session.execute(
            select(func.count(), func.count(distinct(ConferenceAttendance.user_id)))
            .join(User, User.id == ConferenceAttendance.user_id)
            .where(_people(scope), ConferenceAttendance.present.is_(True))
            .where(*_moments(ConferenceAttendance.occurrence_start, scope))
        ).one()
    )


def list_conference_figures(scope: Scope) -> list[ConferenceFigures]:
    """Per case-conference series of the programme: sessions attended by the scope's
    people, their attendances, and how many of them attended."""
    return _rows(
        ConferenceFigures,
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
        .order_by(ConferenceSeries.title),
    )


def quiz_titles() -> dict[tuple[int, str], dict]:
    """Every quiz's titles by (course id, quiz key), for naming completion rules."""
    rows = db.session.execute(select(Quiz.course_id, Quiz.key, Quiz.titles)).all()
    return {(course_id, key): titles for course_id, key, titles in rows}


def list_cohort_choices(scope: Scope) -> list[CohortChoice]:
    """The cohorts of the scope's institution, for the cohort filter."""
    return _rows(
        CohortChoice,
        select(Cohort.id, Cohort.name)
        .where(Cohort.institution_id == scope.institution_id)
        .order_by(Cohort.name),
    )


# --- The cascade, per generation (the tree itself is app/trainers/cascade.py). ---


def count_generations(scope: CascadeScope, direct: bool = True) -> list[Generation]:
    """The per-generation figures of ``compute_cascade``, counted by the database (for
    dashboards: no tree, no names; three queries whatever the number of learners, two
    without ``direct``, which leaves ``learners_direct`` at 0).

    A learner is reached by generation g and everyone downstream when one of their
    trainers is of generation g or later, i.e. when their latest trainer's generation is
    at least g: so each learner is counted once, at the latest generation that taught them.
    """
    generations = count_trainers(scope)
    if not generations:
        return []
    taught = _taught_by_generation(scope)
    taught_by = _learners_per_generation(taught) if direct else {}
    deepest = _learners_per_latest_generation(taught)
    reached = 0
    for generation in reversed(generations):
        reached += deepest.get(generation.number, 0)
        generation.learners_direct = taught_by.get(generation.number, 0)
        generation.learners_reached = reached
    return generations


def _taught_by_generation(scope: CascadeScope):
    """(learner, generation of one of their trainers) for every trainer–learner pair in
    scope, the trainer's generation taken from their latest certification."""
    # Each trainer's latest certification, by its date (a window function here made
    # SQLite re-rank every certification for each pair).
    latest_at = (
        select(
            TrainerCertification.user_id, func.max(TrainerCertification.certified_at).label("at")
        )
        .group_by(TrainerCertification.user_id)
        .subquery()
    )
    pairs = pairs_query(scope).cte("pairs")
    if scope.institution_id is not None or scope.country is not None:
        # The place's pairs first (PostgreSQL otherwise walked every pair in the database
        # and filtered them afterwards: 0.3 s instead of 0.05 s at 100,000 learners).
        pairs = pairs.prefix_with("MATERIALIZED", dialect="postgresql")
    return (
        select(pairs.c.learner_id, TrainerCertification.generation.label("generation"))
        .join(latest_at, latest_at.c.user_id == pairs.c.trainer_id)
        .join(
            TrainerCertification,
            and_(
                TrainerCertification.user_id == latest_at.c.user_id,
                TrainerCertification.certified_at == latest_at.c.at,
            ),
        )
        .subquery()
    )


def _learners_per_generation(taught) -> dict[int, int]:
    """Generation → distinct learners taught directly by its trainers."""
    query = select(taught.c.generation, func.count(distinct(taught.c.learner_id)))
    return dict(db.session.execute(query.group_by(taught.c.generation)).all())


def _learners_per_latest_generation(taught) -> dict[int, int]:
    """Generation → learners whose latest (deepest) trainer is of that generation."""
    latest = (
        select(func.max(taught.c.generation).label("generation"))
        .group_by(taught.c.learner_id)
        .subquery()
    )
    query = select(latest.c.generation, func.count()).group_by(latest.c.generation)
    return dict(db.session.execute(query).all())


# --- Cohorts at a glance (the counting is app/dashboards/glance.py). ---


def list_cohorts_of_trainer(user: User) -> list[Cohort]:
    """The cohorts ``user`` trains, and those of the institutions they coordinate."""
    trained = select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)
    return _cohorts(
        or_(Cohort.id.in_(trained), Cohort.institution_id.in_(user.coordinated_institution_ids))
    )


def list_cohorts_at(institution_id: int) -> list[Cohort]:
    """The cohorts of one institution."""
    return _cohorts(Cohort.institution_id == institution_id)


def _cohorts(condition) -> list[Cohort]:
    """The cohorts, with only what the table shows of their courses and trainers (an
    institution may have dozens of cohorts: whole course and user rows cost 50 ms)."""
    query = (
        select(Cohort)
        .where(condition)
        .order_by(Cohort.starts_on.desc(), Cohort.name)
        .options(
            selectinload(Cohort.courses).load_only(Course.id),
            selectinload(Cohort.trainers)
            .joinedload(CohortTrainer.user)
            .load_only(User.name)
            .lazyload(User.role_assignments),
        )
    )
    return list(db.session.scalars(query))


def list_member_progress(cohort_ids: list[int]) -> list[MemberProgress]:
    """Per member of these cohorts: when they joined, their latest lesson visit and quiz
    start in the cohort's courses, and how many of those courses they completed. One
    query; each figure is a subquery on the member's own rows (by index), which is faster
    than joining whole tables for a few cohorts among thousands."""
    lesson_at = _in_cohort_courses(
        select(func.max(Enrolment.last_activity_at)), Enrolment.course_id
    ).where(Enrolment.user_id == CohortMember.user_id)
    quiz_at = _in_cohort_courses(
        select(func.max(Attempt.started_at)).join(Quiz, Quiz.id == Attempt.quiz_id),
        Quiz.course_id,
    ).where(Attempt.user_id == CohortMember.user_id)
    completed = _in_cohort_courses(
        select(func.count()).select_from(Completion), Completion.course_id
    ).where(Completion.user_id == CohortMember.user_id)
    query = select(
        CohortMember.cohort_id,
        CohortMember.joined_at,
        lesson_at.scalar_subquery(),
        quiz_at.scalar_subquery(),
        completed.scalar_subquery(),
    ).where(CohortMember.cohort_id.in_(cohort_ids))
    return _rows(MemberProgress, query)


def _in_cohort_courses(query, course_id):
    """``query`` limited to rows whose ``course_id`` is one of the member's cohort's."""
    return query.join(
        cohort_courses,
        (cohort_courses.c.course_id == course_id)
        & (cohort_courses.c.cohort_id == CohortMember.cohort_id),
    )


def list_tokens(user: User) -> list[ApiToken]:
    """The API tokens ``user`` may see (their own), newest first."""
    query = select(ApiToken).order_by(ApiToken.id.desc())
    return list(db.session.scalars(permitted(user, query, ApiToken)))


def token_by_hash(token_hash: str) -> ApiToken | None:
    """The API token whose secret has this digest (revoked or not)."""
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))
