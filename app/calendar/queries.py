"""Reads of one's calendar: the workshop sessions and case-conference sessions a person
takes part in, as plain entries in UTC (pages show them in the viewer's zone).

"One's" sessions are those of workshops one is enrolled in or runs (a cohort's learner,
trainer or co-trainer, the cohort's creator, a session's facilitator) and of conference
series one attends or organises, always narrowed by the object rules of those packages
(``scope``): a former member, a trainer who lost the role or someone who left the
institution sees nothing the session's own page would refuse them.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import url_for
from sqlalchemy import or_, select

from app.auth.permissions import VIEW, scope
from app.cohorts.models import Cohort, CohortMember, CohortTrainer
from app.conferences.models import ConferenceSeries, SeriesParticipant
from app.conferences.recurrence import Occurrence, occurrences
from app.conferences.stamps import stamp_of
from app.db_types import utcnow
from app.extensions import db
from app.workshops.models import Workshop, WorkshopSession, workshop_facilitators

WORKSHOP = "workshop"
CONFERENCE = "conference"
SCHEDULED, MOVED, CANCELLED = "scheduled", "moved", "cancelled"
# How far ahead ``upcoming_sessions`` looks for a series' next sessions (rules without
# an end would otherwise be expanded up to the recurrence horizon).
UPCOMING_WINDOW = timedelta(days=366)


@dataclass(frozen=True)
class CalendarEntry:
    """One session in one's calendar."""

    kind: str  # WORKSHOP | CONFERENCE
    title: str
    starts_at: datetime  # aware, UTC (after any move)
    ends_at: datetime
    url: str  # the session's page
    status: str = SCHEDULED  # SCHEDULED | MOVED | CANCELLED
    place: str | None = None
    moved_from: datetime | None = None  # the time it was scheduled at, when moved


def entries_between(user, start: datetime, end: datetime) -> list[CalendarEntry]:
    """One's sessions that start in [``start``, ``end``), by start: cancelled ones
    included and marked, moved ones at their new time (one query per source)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    sessions = _my_workshop_sessions(user).where(
        WorkshopSession.starts_at >= start, WorkshopSession.starts_at < end
    )
    entries = [_workshop_entry(row) for row in db.session.execute(sessions)]
    for series in _my_series(user):
        entries += [
            _conference_entry(series, o)
            for o in occurrences(series, start, end)
            if start <= o.start < end
        ]
    return sorted(entries, key=_order)


def upcoming_sessions(user, *, limit: int = 5, now: datetime | None = None) -> list[CalendarEntry]:
    """One's next ``limit`` sessions that have not ended yet (those under way first),
    cancelled ones included and marked so that nobody waits for them."""
    now = (now or utcnow()).astimezone(UTC)
    sessions = (
        _my_workshop_sessions(user)
        .where(WorkshopSession.ends_at > now)
        .order_by(WorkshopSession.starts_at)
        .limit(limit)
    )
    entries = [_workshop_entry(row) for row in db.session.execute(sessions)]
    for series in _my_series(user):
        coming = [o for o in occurrences(series, now, now + UPCOMING_WINDOW) if o.end > now]
        entries += [_conference_entry(series, o) for o in coming[:limit]]
    return sorted(entries, key=_order)[:limit]


def _order(entry: CalendarEntry):
    return (entry.starts_at, entry.title, entry.url)


def _my_workshop_sessions(user):
    """The workshop sessions ``user`` takes part in and may see, as plain rows."""
    user_id = user.id if getattr(user, "is_authenticated", False) else -1
    mine = or_(
        Workshop.cohort_id.in_(
            select(CohortMember.cohort_id).where(CohortMember.user_id == user_id)
        ),
        Workshop.cohort_id.in_(
            select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user_id)
        ),
        Workshop.cohort_id.in_(select(Cohort.id).where(Cohort.created_by_id == user_id)),
        WorkshopSession.id.in_(
            select(workshop_facilitators.c.session_id).where(
                workshop_facilitators.c.user_id == user_id
            )
        ),
    )
    query = (
        select(
            WorkshopSession.id,
            WorkshopSession.workshop_id,
            WorkshopSession.starts_at,
            WorkshopSession.ends_at,
            WorkshopSession.place,
            Workshop.title,
        )
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .where(mine)
    )
    # The workshops' own rule narrows it: nobody sees a session its page would refuse.
    return scope(user, query, WorkshopSession, VIEW)


def _my_series(user) -> list[ConferenceSeries]:
    """The series ``user`` attends or organises and may see (their changes come with
    them in one more query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    attended = select(SeriesParticipant.series_id).where(SeriesParticipant.user_id == user.id)
    query = select(ConferenceSeries).where(
        or_(ConferenceSeries.id.in_(attended), ConferenceSeries.organiser_id == user.id)
    )
    return list(db.session.scalars(scope(user, query, ConferenceSeries, VIEW)))


def _workshop_entry(row) -> CalendarEntry:
    return CalendarEntry(
        kind=WORKSHOP,
        title=row.title,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        url=url_for("workshops.workshop", workshop_id=row.workshop_id, _anchor=f"session-{row.id}"),
        place=row.place,
    )


def _conference_entry(series: ConferenceSeries, occurrence: Occurrence) -> CalendarEntry:
    status = CANCELLED if occurrence.cancelled else MOVED if occurrence.moved else SCHEDULED
    return CalendarEntry(
        kind=CONFERENCE,
        title=series.title,
        starts_at=occurrence.start,
        ends_at=occurrence.end,
        url=url_for(
            "conferences.session",
            series_id=series.id,
            stamp=stamp_of(occurrence.original_start),
        ),
        status=status,
        moved_from=occurrence.original_start if occurrence.moved else None,
    )
