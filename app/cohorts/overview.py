"""Cohorts at a glance: per cohort, how many members have not started, are in progress,
have completed and are inactive, with the progress matrix's definitions (``member_status``
and ``is_inactive`` in matrix.py), for all of a trainer's or an institution's cohorts in
a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select

from app.auth.models import User
from app.cohorts.matrix import is_inactive, member_status
from app.cohorts.models import Cohort, CohortMember, CohortTrainer, cohort_courses
from app.courses.models import Enrolment
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
    query = select(Cohort).where(condition).order_by(Cohort.starts_on.desc(), Cohort.name)
    return list(db.session.scalars(query))


def glance(cohorts: list[Cohort], now: datetime) -> list[Glance]:
    """Each cohort's counts as of ``now`` (for inactivity)."""
    ids = [cohort.id for cohort in cohorts]
    members = db.session.execute(
        select(CohortMember.cohort_id, CohortMember.user_id, CohortMember.joined_at).where(
            CohortMember.cohort_id.in_(ids)
        )
    ).all()
    activity = _latest_activity(ids)
    completed = _courses_completed(ids)
    by_id = {cohort.id: Glance(cohort) for cohort in cohorts}
    for cohort_id, user_id, joined_at in members:
        found, cohort = by_id[cohort_id], by_id[cohort_id].cohort
        last = activity.get((cohort_id, user_id))
        status = member_status(completed.get((cohort_id, user_id), 0), len(cohort.courses), last)
        found.members += 1
        setattr(found, status, getattr(found, status) + 1)
        limit = now - timedelta(days=cohort.inactive_days)
        found.inactive += is_inactive(status, last, joined_at, limit)
    return [by_id[cohort_id] for cohort_id in ids]


def _in_cohort_courses(course_id_column):
    """Join condition: the row's course is one of the member's cohort's courses."""
    return and_(
        cohort_courses.c.cohort_id == CohortMember.cohort_id,
        cohort_courses.c.course_id == course_id_column,
    )


def _latest_activity(ids: list[int]) -> dict[tuple[int, int], datetime]:
    """(cohort, member): their latest lesson visit or quiz start in the cohort's courses."""
    lessons = (
        select(CohortMember.cohort_id, CohortMember.user_id, func.max(Enrolment.last_activity_at))
        .join(Enrolment, Enrolment.user_id == CohortMember.user_id)
        .join(cohort_courses, _in_cohort_courses(Enrolment.course_id))
        .where(CohortMember.cohort_id.in_(ids))
        .group_by(CohortMember.cohort_id, CohortMember.user_id)
    )
    quizzes = (
        select(CohortMember.cohort_id, CohortMember.user_id, func.max(Attempt.started_at))
        .join(Attempt, Attempt.user_id == CohortMember.user_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(cohort_courses, _in_cohort_courses(Quiz.course_id))
        .where(CohortMember.cohort_id.in_(ids))
        .group_by(CohortMember.cohort_id, CohortMember.user_id)
    )
    latest: dict[tuple[int, int], datetime] = {}
    for query in (lessons, quizzes):
        for cohort_id, user_id, moment in db.session.execute(query):
            key = (cohort_id, user_id)
            if moment and (key not in latest or moment > latest[key]):
                latest[key] = moment
    return latest


def _courses_completed(ids: list[int]) -> dict[tuple[int, int], int]:
    """(cohort, member): how many of the cohort's courses they completed."""
    return {
        (cohort_id, user_id): count
        for cohort_id, user_id, count in db.session.execute(
            select(CohortMember.cohort_id, CohortMember.user_id, func.count())
            .join(Completion, Completion.user_id == CohortMember.user_id)
            .join(cohort_courses, _in_cohort_courses(Completion.course_id))
            .where(CohortMember.cohort_id.in_(ids))
            .group_by(CohortMember.cohort_id, CohortMember.user_id)
        )
    }
