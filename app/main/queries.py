"""Reads for the home page: small counts, and each role's section (a fixed number of
queries each, whatever the number of cohorts, members or courses)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import exists, func, select
from sqlalchemy.orm import contains_eager, lazyload, selectinload

from app.auth.models import Invitation, Role, User
from app.cohorts.models import Cohort, CohortMember, CohortTrainer, cohort_courses
from app.courses.models import Course, Enrolment, Lesson, LessonText
from app.db_types import utcnow
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.learning.models import Certificate, Completion, KnowledgeGain
from app.quizzes.models import Attempt, Quiz


@dataclass(frozen=True)
class InstitutionSummary:
    institution: Institution
    members: int


@dataclass(frozen=True)
class Totals:
    users: int
    institutions: int
    programmes: int


def list_coordinated_institutions(user: User) -> list[InstitutionSummary]:
    """The institutions ``user`` coordinates, with their number of members (one query)."""
    ids = user.coordinated_institution_ids
    if not ids:
        return []
    query = (
        select(Institution, func.count(User.id))
        .outerjoin(User, User.institution_id == Institution.id)
        .where(Institution.id.in_(ids))
        .group_by(Institution.id)
        .order_by(Institution.name)
    )
    return [InstitutionSummary(inst, count) for inst, count in db.session.execute(query)]


def list_funded_programmes(user: User) -> list[Programme]:
    """The programmes ``user`` funds."""
    ids = user.funded_programme_ids
    if not ids:
        return []
    query = select(Programme).where(Programme.id.in_(ids)).order_by(Programme.name)
    return list(db.session.scalars(query))


def count_everything() -> Totals:
    """How many accounts, institutions and programmes exist (for administrators)."""
    return Totals(
        users=db.session.scalar(select(func.count(User.id))),
        institutions=db.session.scalar(select(func.count(Institution.id))),
        programmes=db.session.scalar(select(func.count(Programme.id))),
    )


def count_open_invitations(user: User) -> int:
    """Invitations ``user`` sent that are neither used, withdrawn nor expired."""
    if not user.has_role(Role.ADMIN, Role.COORDINATOR, Role.TRAINER):
        return 0
    query = select(func.count(Invitation.id)).where(
        Invitation.invited_by_id == user.id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )
    return db.session.scalar(query)


# -- The learner's home -------------------------------------------------------------


def get_latest_enrolment(user: User) -> Enrolment | None:
    """The enrolment to continue: an unfinished course before a finished one, then the
    one touched last (never-touched ones by when they were enrolled in)."""
    finished = exists().where(
        Completion.user_id == Enrolment.user_id, Completion.course_id == Enrolment.course_id
    )
    query = (
        select(Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user.id, Course.retired_at.is_(None))
        .order_by(
            finished,
            Enrolment.last_activity_at.is_(None),
            Enrolment.last_activity_at.desc(),
            Enrolment.enrolled_at.desc(),
        )
        .options(contains_eager(Enrolment.course))
        .limit(1)
    )
    return db.session.scalar(query)


@dataclass(frozen=True)
class Deadline:
    cohort: Cohort
    ends_on: date
    overdue: bool


def list_cohort_deadlines(user: User, today: date) -> list[Deadline]:
    """The end dates of the cohorts ``user`` learns in whose courses they have not all
    completed, soonest first; past ones are overdue (two queries)."""
    cohorts = db.session.scalars(
        select(Cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id)
        .options(selectinload(Cohort.courses).load_only(Course.id), lazyload(Cohort.trainers))
        .order_by(Cohort.ends_on, Cohort.name)
    ).all()
    if not cohorts:
        return []
    completed = set(
        db.session.scalars(select(Completion.course_id).where(Completion.user_id == user.id))
    )
    return [
        Deadline(cohort, cohort.ends_on, cohort.ends_on < today)
        for cohort in cohorts
        if not {course.id for course in cohort.courses} <= completed or not cohort.courses
    ]


def list_valid_certificates(user: User) -> list[Certificate]:
    """The user's certificates that are not revoked, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .join(Completion)
            .where(Completion.user_id == user.id, Certificate.revoked_at.is_(None))
            .order_by(Certificate.issued_at.desc())
        )
    )


def get_latest_gain(user: User) -> tuple[KnowledgeGain, Course] | None:
    """The user's most recent knowledge gain (pre-test and post-test), with its course."""
    row = db.session.execute(
        select(KnowledgeGain, Course)
        .join(Course, Course.id == KnowledgeGain.course_id)
        .where(KnowledgeGain.user_id == user.id)
        .order_by(KnowledgeGain.recorded_at.desc(), KnowledgeGain.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


# -- The trainer's home -------------------------------------------------------------


def list_cohorts_trained_by(user: User) -> list[Cohort]:
    """The cohorts ``user`` is a trainer of (lead or co-trainer), newest first, with only
    their course ids loaded (two queries)."""
    trained = select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)
    return list(
        db.session.scalars(
            select(Cohort)
            .where(Cohort.id.in_(trained))
            .options(selectinload(Cohort.courses).load_only(Course.id), lazyload(Cohort.trainers))
            .order_by(Cohort.starts_on.desc(), Cohort.name)
        )
    )


class MemberActivity(NamedTuple):
    cohort_id: int
    user_id: int
    name: str
    joined_at: datetime
    lesson_at: datetime | None  # latest lesson visit in the cohort's courses
    quiz_at: datetime | None  # latest quiz start in the cohort's courses
    completed: int  # how many of the cohort's courses they completed


def _in_cohort_courses(query, course_id):
    """``query`` limited to rows of the member's cohort's courses."""
    return query.join(
        cohort_courses,
        (cohort_courses.c.course_id == course_id)
        & (cohort_courses.c.cohort_id == CohortMember.cohort_id),
    )


def list_member_activity(cohort_ids: list[int]) -> list[MemberActivity]:
    """Per member of these cohorts, who they are and when they last did something in
    the cohort's courses (the figures of app/dashboards/queries.py's
    ``list_member_progress``, with the member named): one query."""
    if not cohort_ids:
        return []
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
    query = (
        select(
            CohortMember.cohort_id,
            CohortMember.user_id,
            User.name,
            CohortMember.joined_at,
            lesson_at.scalar_subquery(),
            quiz_at.scalar_subquery(),
            completed.scalar_subquery(),
        )
        .join(User, User.id == CohortMember.user_id)
        .where(CohortMember.cohort_id.in_(cohort_ids))
    )
    return [MemberActivity(*row) for row in db.session.execute(query)]


# -- The translator's home ----------------------------------------------------------


@dataclass(frozen=True)
class ContentCoverage:
    locale: str
    segments: int
    fallback: int

    @property
    def percent(self) -> float:
        """Share of the lessons' segments learners read in this language."""
        return 100.0 * (self.segments - self.fallback) / self.segments if self.segments else 0.0


def list_content_coverage(locales: list[str]) -> dict[str, ContentCoverage]:
    """Per locale, the current lessons' segments and how many fall back to another
    language, as learners read them (one query)."""
    query = (
        select(
            LessonText.locale,
            func.sum(LessonText.segments_total),
            func.sum(LessonText.segments_fallback),
        )
        .join(Lesson, Lesson.id == LessonText.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .where(
            LessonText.locale.in_(locales),
            Lesson.retired_at.is_(None),
            Course.retired_at.is_(None),
        )
        .group_by(LessonText.locale)
    )
    return {
        locale: ContentCoverage(locale, int(total or 0), int(fallback or 0))
        for locale, total, fallback in db.session.execute(query)
    }


class HeldBackLesson(NamedTuple):
    locale: str
    shown_in: str
    course_key: str
    lesson_key: str
    titles: dict


def list_held_back_lessons(locales: list[str], limit: int = 20) -> list[HeldBackLesson]:
    """Current lessons shown in another language than ``locales`` for a safety-critical
    passage, by locale and course order (one query)."""
    query = (
        select(LessonText.locale, LessonText.held_back_to, Course.key, Lesson.key, Lesson.titles)
        .join(Lesson, Lesson.id == LessonText.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .where(
            LessonText.locale.in_(locales),
            LessonText.held_back_to.is_not(None),
            Lesson.retired_at.is_(None),
            Course.retired_at.is_(None),
        )
        .order_by(LessonText.locale, Course.position, Lesson.position)
        .limit(limit)
    )
    return [HeldBackLesson(*row) for row in db.session.execute(query)]


# -- The administrator's home -------------------------------------------------------


@dataclass(frozen=True)
class RecentActivity:
    since: datetime
    sign_ups: int
    enrolments: int
    completions: int
    certificates: int


def count_recent_activity(since: datetime) -> RecentActivity:
    """How many accounts, enrolments, completions and certificates were made since
    ``since``: counts only (one query)."""

    def counted(column):
        return select(func.count()).where(column >= since).scalar_subquery()

    row = db.session.execute(
        select(
            counted(User.created_at),
            counted(Enrolment.enrolled_at),
            counted(Completion.completed_at),
            counted(Certificate.issued_at),
        )
    ).one()
    return RecentActivity(since, *row)
