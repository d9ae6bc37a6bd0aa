"""Attendance at a conference's sessions: the organisers' sheet, who was present, and
the minutes that count toward CPD (flush, never commit)."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.permissions import MANAGE, require
from app.conferences.models import ConferenceAttendance, ConferenceSeries, SeriesParticipant
from app.conferences.recurrence import find_occurrence
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db


def _require_organiser(actor: User, series: ConferenceSeries) -> None:
    require(actor, MANAGE, series, _l("Only the organisers manage the agenda."))


def record_attendance(
    actor: User, series: ConferenceSeries, original_start: datetime, present_ids: set[int]
) -> int:
    """Record who attended a session that has started (its length counts as CPD time);
    returns how many were present. Participants not ticked are recorded absent."""
    _require_organiser(actor, series)
    occurrence = find_occurrence(series, original_start)
    if occurrence is None or occurrence.cancelled or occurrence.start > utcnow():
        raise ValidationFailed(_("Attendance can be recorded once the session has started."))
    minutes = int((occurrence.end - occurrence.start).total_seconds() // 60)
    people = db.session.scalars(
        select(SeriesParticipant.user_id).where(SeriesParticipant.series_id == series.id)
    ).all()
    recorded = {
        row.user_id: row
        for row in db.session.scalars(
            select(ConferenceAttendance).where(
                ConferenceAttendance.series_id == series.id,
                ConferenceAttendance.occurrence_start == original_start,
            )
        )
    }  # one query for the sheet, not one per participant
    for user_id in people:
        row = recorded.get(user_id) or ConferenceAttendance(
            series_id=series.id, occurrence_start=original_start, user_id=user_id
        )
        row.present, row.minutes, row.recorded_at = user_id in present_ids, minutes, utcnow()
        db.session.add(row)
    db.session.flush()
    return len(set(people) & present_ids)


def attended(series: ConferenceSeries, original_start: datetime) -> set[int]:
    """Who was recorded present at a session."""
    return set(
        db.session.scalars(
            select(ConferenceAttendance.user_id).where(
                ConferenceAttendance.series_id == series.id,
                ConferenceAttendance.occurrence_start == original_start,
                ConferenceAttendance.present.is_(True),
            )
        )
    )


def cpd_minutes(user: User) -> list[tuple[ConferenceSeries, int, int]]:
    """Per series: sessions attended and minutes, for the CPD statement."""
    rows = db.session.execute(
        select(ConferenceSeries, func.count(), func.sum(ConferenceAttendance.minutes))
        .join(ConferenceAttendance, ConferenceAttendance.series_id == ConferenceSeries.id)
        .where(ConferenceAttendance.user_id == user.id, ConferenceAttendance.present.is_(True))
        .group_by(ConferenceSeries.id)
        .order_by(ConferenceSeries.title)
    ).all()
    return [(series, sessions, int(minutes or 0)) for series, sessions, minutes in rows]
