"""Conference rules: series and their occurrences, who may see and join them, feeds
(flush, never commit; the acting user is always an argument). Cases: app/cases/."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc

from app.auth.models import User
from app.auth.permissions import JOIN, MANAGE, require
from app.cohorts.queries import list_cohorts_run_by
from app.conferences import access as series_rule
from app.conferences import queries
from app.conferences.agenda import has_cases
from app.conferences.models import (
    CalendarFeed,
    ConferenceSeries,
    OccurrenceChange,
    SeriesParticipant,
)
from app.conferences.recurrence import find_occurrence
from app.db_types import utcnow
from app.exceptions import InvalidToken, ValidationFailed
from app.extensions import db


@dataclass
class SeriesDetails:
    """What an organiser fills in."""

    title: str
    description: str
    owner: tuple[str, int]  # ("programme" | "institution" | "cohort", id)
    timezone: str
    starts_local: datetime  # naive wall-clock time in ``timezone``
    duration_minutes: int
    rrule: str
    meeting_url: str
    max_cases: int = 3


def _apply(series: ConferenceSeries, details: SeriesDetails) -> None:
    if details.timezone not in available_timezones():
        raise ValidationFailed(_("Unknown time zone: %(tz)s", tz=details.timezone), "timezone")
    if not details.meeting_url.startswith("https://"):
        raise ValidationFailed(_("The meeting link must start with https://."), "meeting_url")
    kind, owner_id = details.owner
    series.programme_id = owner_id if kind == "programme" else None
    series.institution_id = owner_id if kind == "institution" else None
    series.cohort_id = owner_id if kind == "cohort" else None
    series.title = " ".join(details.title.split())  # it goes into e-mail subjects
    series.description = details.description.strip()
    series.timezone = details.timezone
    series.starts_local = details.starts_local.replace(tzinfo=None, second=0, microsecond=0)
    series.duration_minutes = details.duration_minutes
    series.rrule = details.rrule
    series.meeting_url = details.meeting_url.strip()
    series.max_cases = details.max_cases
    series.updated_at = utcnow()


def create_series(actor: User, details: SeriesDetails) -> ConferenceSeries:
    """A new series organised by ``actor``, who also sits on its panel."""
    series = ConferenceSeries(uid=f"{uuid.uuid4()}@palliare", organiser_id=actor.id, sequence=0)
    _apply(series, details)
    db.session.add(series)
    db.session.flush()
    db.session.add(SeriesParticipant(series_id=series.id, user_id=actor.id, panel=True))
    db.session.flush()
    return series


def update_series(actor: User, series: ConferenceSeries, details: SeriesDetails) -> None:
    """Change a series; calendars see a higher SEQUENCE and update the same UID.

    Sessions are known by their original start; once any has a case, attendance or a
    change, the schedule (start, zone, rule) stays, or those records would lose their
    session. Title, description, link, length and the case limit can always change.
    """
    require(actor, MANAGE, series, _l("You may not change this series."))
    schedule = (
        details.timezone,
        details.starts_local.replace(second=0, microsecond=0),
        details.rrule,
    )
    if schedule != (series.timezone, series.starts_local, series.rrule) and _has_history(series):
        raise ValidationFailed(
            _(
                "Sessions of this series already have cases, attendance or changes, so its "
                "schedule cannot change. Cancel or move single sessions, or end this series "
                "and schedule a new one."
            ),
            "starts_local",
        )
    _apply(series, details)
    series.sequence += 1
    db.session.flush()


def change_occurrence(
    actor: User,
    series: ConferenceSeries,
    original_start: datetime,
    cancelled: bool,
    new_start_local: datetime | None,
    note: str,
) -> OccurrenceChange:
    """Cancel one occurrence, or move it to ``new_start_local`` (organiser's time)."""
    require(actor, MANAGE, series, _l("You may not change this series."))
    if find_occurrence(series, original_start) is None:
        raise ValidationFailed(_("The series has no session at that time."))
    change = next((c for c in series.changes if c.original_start == original_start), None)
    if change is None:
        change = OccurrenceChange(original_start=original_start, sequence=0)
        series.changes.append(change)
    change.cancelled = cancelled
    change.new_start = None
    if new_start_local is not None and not cancelled:
        local = new_start_local.replace(tzinfo=ZoneInfo(series.timezone))
        change.new_start = local.astimezone(UTC)
    change.note = note.strip()
    change.sequence += 1
    change.changed_at = utcnow()
    series.sequence += 1
    db.session.flush()
    return change


def _has_history(series: ConferenceSeries) -> bool:
    if series.changes or has_cases(series):
        return True
    return queries.series_has_attendance(series)


def restore_occurrence(actor: User, series: ConferenceSeries, original_start: datetime) -> None:
    """Undo a cancellation or a move: the session is back at its scheduled time."""
    require(actor, MANAGE, series, _l("You may not change this series."))
    for change in list(series.changes):
        if change.original_start == original_start:
            series.changes.remove(change)
            series.sequence += 1
    db.session.flush()


def join_series(user: User, series: ConferenceSeries) -> None:
    """Attend a series one may see (its sessions then appear in one's calendar feed)."""
    require(user, JOIN, series, _l("This series is not open to you."))
    if not series_rule.is_participant(user, series):
        try:
            with db.session.begin_nested():
                db.session.add(SeriesParticipant(series_id=series.id, user_id=user.id))
        except exc.IntegrityError:
            pass  # joined twice at once


def leave_series(user: User, series: ConferenceSeries) -> None:
    """Stop attending (the organiser stays)."""
    if series.organiser_id == user.id:
        raise ValidationFailed(_("The organiser cannot leave the series."))
    participant = db.session.get(SeriesParticipant, (series.id, user.id))
    if participant is not None:
        db.session.delete(participant)
        db.session.flush()


def set_panel(actor: User, series: ConferenceSeries, user: User, panel: bool) -> None:
    """Put a participant on the hub panel, or take them off it."""
    require(actor, MANAGE, series, _l("You may not change this series."))
    participant = db.session.get(SeriesParticipant, (series.id, user.id))
    if participant is None:
        raise ValidationFailed(_("Only participants sit on the panel."))
    participant.panel = panel
    db.session.flush()


def owner_choices(actor: User) -> list[tuple[str, str]]:
    """What ``actor`` may attach a series to, as (``kind:id``, label) pairs."""
    choices = [(f"programme:{p.id}", p.name) for p in queries.programmes_in_cascade_of(actor)]
    institutions = queries.institutions_of(actor)
    choices += [(f"institution:{i.id}", i.name) for i in institutions]
    choices += [(f"cohort:{c.cohort.id}", c.cohort.name) for c in list_cohorts_run_by(actor)]
    return choices


# --- Calendar feeds ------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(actor: User, series: ConferenceSeries | None = None) -> str:
    """A new secret feed address (the token is shown once), revoking the previous one:
    one's own calendar, or a series' (organisers)."""
    if series is not None:
        require(actor, MANAGE, series, _l("You may not change this series."))
    for feed in queries.live_feeds(actor, series):
        feed.revoked_at = utcnow()
    token = secrets.token_urlsafe(24)
    db.session.add(
        CalendarFeed(
            token_hash=_digest(token),
            user_id=None if series else actor.id,
            series_id=series.id if series else None,
        )
    )
    db.session.flush()
    return token


def revoke_feeds(actor: User, series: ConferenceSeries | None = None) -> None:
    """Stop the feed address: calendars subscribed to it get nothing more."""
    if series is not None:
        require(actor, MANAGE, series, _l("You may not change this series."))
    for feed in queries.live_feeds(actor, series):
        feed.revoked_at = utcnow()
    db.session.flush()


def find_feed(token: str) -> CalendarFeed:
    """The live feed behind ``token``; InvalidToken otherwise."""
    feed = queries.feed_by_hash(_digest(token))
    owner = db.session.get(User, feed.user_id) if feed and feed.user_id else None
    if feed is None or feed.revoked_at is not None or (owner is not None and not owner.active):
        raise InvalidToken(_("This calendar address is no longer valid."))
    return feed
