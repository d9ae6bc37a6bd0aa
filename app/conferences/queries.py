"""Reads about conferences: series, participants, attendance, calendar feeds."""

from sqlalchemy import select

from app.auth.models import Role, User
from app.auth.permissions import CASCADE, VIEW, can, scope
from app.conferences.models import (
    CalendarFeed,
    ConferenceAttendance,
    ConferenceSeries,
    SeriesParticipant,
)
from app.extensions import db
from app.institutions.models import Institution, Programme


def list_series_for(user: User) -> list[ConferenceSeries]:
    """Series ``user`` may see, by title (the series rule as a filter: one query)."""
    query = select(ConferenceSeries).order_by(ConferenceSeries.title)
    return list(db.session.scalars(scope(user, query, ConferenceSeries)))


def series_has_attendance(series: ConferenceSeries) -> bool:
    """Whether attendance was ever recorded at a session of the series."""
    attended = select(ConferenceAttendance.series_id).where(
        ConferenceAttendance.series_id == series.id
    )
    return bool(db.session.scalar(attended.limit(1)))


def participants(series: ConferenceSeries) -> list[SeriesParticipant]:
    """The series' participants, panel first, then by name."""
    rows = db.session.scalars(
        select(SeriesParticipant).where(SeriesParticipant.series_id == series.id)
    ).all()
    return sorted(rows, key=lambda p: (not p.panel, p.user.name))


def programmes_in_cascade_of(actor: User) -> list[Programme]:
    """The programmes ``actor`` takes part in (those whose cascade they see)."""
    query = select(Programme).order_by(Programme.name)
    return list(db.session.scalars(scope(actor, query, Programme, CASCADE)))


def institutions_of(actor: User) -> list[Institution]:
    """The institutions ``actor`` may attach a series to: their own and those they
    coordinate (every institution for an administrator)."""
    query = select(Institution)
    if not actor.has_role(Role.ADMIN):
        own = set(actor.coordinated_institution_ids) | {actor.institution_id} - {None}
        query = query.where(Institution.id.in_(own))
    return list(db.session.scalars(query))


def live_feeds(actor: User, series: ConferenceSeries | None) -> list[CalendarFeed]:
    """The feeds not revoked: ``actor``'s own (``series`` None) or a series'."""
    query = select(CalendarFeed).where(CalendarFeed.revoked_at.is_(None))
    if series is None:
        query = query.where(CalendarFeed.user_id == actor.id)
    else:
        query = query.where(CalendarFeed.series_id == series.id)
    return list(db.session.scalars(query))


def feed_by_hash(token_hash: str) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash))


def series_attended_by(user: User) -> list[ConferenceSeries]:
    """Every series a person attends and may still see (for their own calendar feed)."""
    attended = db.session.scalars(
        select(ConferenceSeries)
        .join(SeriesParticipant, SeriesParticipant.series_id == ConferenceSeries.id)
        .where(SeriesParticipant.user_id == user.id)
        .order_by(ConferenceSeries.id)
    )
    return [series for series in attended if can(user, VIEW, series)]
