"""Cohorts at a glance: per cohort, how many members have not started, are in progress,
have completed and are inactive, with the progress matrix's definitions (``member_status``
and ``is_inactive`` in matrix.py), for all of a trainer's or an institution's cohorts in
a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.cohorts.matrix import is_inactive, member_status
from app.cohorts.models import Cohort, CohortMember, CohortTrainer, cohort_courses
from app.courses.models import Course, Enrolment
from app.extensions import db
from app.quizzes.models import Attempt, Completion, Quiz


@dataclass
class Glance:
    cohort: Cohort
    members: int = 0
    not_started: int = 0
    in_progress: int = 0
    completed: int = 0
    inactive: int = 0


def cohorts_of_trainer(user: User) -> list[Cohort]:
    """The cohorts ``user`` trains, and those of the institutions they coordinate."""
    trained = select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)
    return _cohorts(
        or_(Cohort.id.in_(trained), Cohort.institution_id.in_(user.coordinated_institution_ids))
    )


def cohorts_at(institution_id: int) -> list[Cohort]:
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


def glance(cohorts: list[Cohort], now: datetime) -> list[Glance]:
    """Each cohort's counts as of ``now`` (for inactivity)."""
    by_id = {cohort.id: Glance(cohort) for cohort in cohorts}
    for cohort_id, joined_at, lesson_at, quiz_at, completed in db.session.execute(
        _members_with_progress(list(by_id))
    ):
        found = by_id[cohort_id]
        last = max((moment for moment in (lesson_at, quiz_at) if moment), default=None)
        status = member_status(completed, len(found.cohort.courses), last)
        found.members += 1
        setattr(found, status, getattr(found, status) + 1)
        limit = now - timedelta(days=found.cohort.inactive_days)
        found.inactive += is_inactive(status, last, joined_at, limit)
    return list(by_id.values())


def _members_with_progress(ids: list[int]):
    """Per member of these cohorts: when they joined, their latest lesson visit and quiz
    start in the cohort's courses, and how many of those courses they completed. One
    query; each figure is a subquery on the member's own rows (by index), which is faster
    than joining whole tables for a few cohorts among thousands."""

    def in_cohort_courses(query, course_id):
        return query.join(
            cohort_courses,
            (cohort_courses.c.course_id == course_id)
            & (cohort_courses.c.cohort_id == CohortMember.cohort_id),
        )

    lesson_at = in_cohort_courses(
        select(func.max(Enrolment.last_activity_at)), Enrolment.course_id
    ).where(Enrolment.user_id == CohortMember.user_id)
    quiz_at = in_cohort_courses(
        select(func.max(Attempt.started_at)).join(Quiz, Quiz.id == Attempt.quiz_id),
        Quiz.course_id,
    ).where(Attempt.user_id == CohortMember.user_id)
    completed = in_cohort_courses(
        select(func.count()).select_from(Completion), Completion.course_id
    ).where(Completion.user_id == CohortMember.user_id)
    return select(
        CohortMember.cohort_id,
        CohortMember.joined_at,
        lesson_at.scalar_subquery(),
        quiz_at.scalar_subquery(),
        completed.scalar_subquery(),
    ).where(CohortMember.cohort_id.in_(ids))
