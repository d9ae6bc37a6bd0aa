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
    for member in queries.list_member_progress(list(by_id)):
        _count(by_id[member.cohort_id], member, now)
    return list(by_id.values())


def _count(found: Glance, member: queries.MemberProgress, now: datetime) -> None:
    """Add one member to their cohort's counts."""
    moments = (member.lesson_at, member.quiz_at)
    last = max((moment for moment in moments if moment), default=None)
    status = member_status(member.completed, len(found.cohort.courses), last)
    found.members += 1
    setattr(found, status, getattr(found, status) + 1)
    limit = now - timedelta(days=found.cohort.inactive_days)
    found.inactive += is_inactive(status, last, member.joined_at, limit)
