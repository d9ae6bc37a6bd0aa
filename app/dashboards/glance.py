"""Cohorts at a glance: per cohort, how many members have not started, are in progress,
have completed and are inactive, with the progress matrix's definitions (``member_status``
and ``is_inactive`` in app/cohorts/matrix.py), for all of a trainer's or an institution's
cohorts in a fixed number of queries (read in app/dashboards/queries.py)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.cohorts.matrix import is_inactive, member_status
from app.cohorts.models import Cohort
from app.dashboards import queries


@dataclass
class Glance:
    cohort: Cohort
    members: int = 0
    not_started: int = 0
    in_progress: int = 0
    completed: int = 0
    inactive: int = 0


def glance(cohorts: list[Cohort], now: datetime) -> list[Glance]:
    """Each cohort's counts as of ``now`` (for inactivity)."""
    by_id = {cohort.id: Glance(cohort) for cohort in cohorts}
    # What each member is compared with, read once per cohort (an institution's cohorts
    # have thousands of members: ORM attributes per member cost more than the counting).
    rules = {
        cohort.id: (len(cohort.courses), now - timedelta(days=cohort.inactive_days))
        for cohort in cohorts
    }
    for member in queries.list_member_progress(list(by_id)):
        _count(by_id[member.cohort_id], member, *rules[member.cohort_id])
    return list(by_id.values())


def _count(
    found: Glance, member: queries.MemberProgress, course_count: int, limit: datetime
) -> None:
    """Add one member to their cohort's counts (``limit``: inactive if nothing since)."""
    lesson_at, quiz_at = member.lesson_at, member.quiz_at
    last = max(lesson_at, quiz_at) if lesson_at and quiz_at else lesson_at or quiz_at
    status = member_status(member.completed, course_count, last)
    found.members += 1
    setattr(found, status, getattr(found, status) + 1)
    found.inactive += is_inactive(status, last, member.joined_at, limit)
