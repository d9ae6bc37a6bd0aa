"""Case-conference series, their occurrences' changes, participants, attendance, feeds
and reminders (the cases submitted to them are in app/cases/models.py)."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class ConferenceSeries(db.Model):
    """A recurring case conference, owned by a programme, an institution or a cohort.

    The rule is RFC 5545 (``FREQ=WEEKLY;INTERVAL=2;COUNT=26``) on a start given in the
    organiser's wall-clock time and zone, so a 15:00 Stockholm session stays at 15:00 in
    Stockholm across daylight-saving changes (and moves for viewers elsewhere).
    """

    __tablename__ = "conference_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)  # stable across edits
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # raised on every change
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    timezone: Mapped[str] = mapped_column(String(64))
    starts_local: Mapped[datetime] = mapped_column(DateTime)  # wall-clock time in ``timezone``
    duration_minutes: Mapped[int] = mapped_column(Integer)
    rrule: Mapped[str] = mapped_column(String(300))
    meeting_url: Mapped[str] = mapped_column(String(500))
    max_cases: Mapped[int] = mapped_column(Integer, default=3)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organiser: Mapped[User | None] = relationship(lazy="joined")
    changes: Mapped[list["OccurrenceChange"]] = relationship(
        back_populates="series", cascade="all, delete-orphan", lazy="selectin"
    )


class OccurrenceChange(db.Model):
    """One occurrence cancelled or moved (EXDATE / RECURRENCE-ID), with a note."""

    __tablename__ = "occurrence_changes"
    __table_args__ = (UniqueConstraint("series_id", "original_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("conference_series.id", ondelete="CASCADE"))
    original_start: Mapped[datetime] = mapped_column(UTCDateTime)  # the RECURRENCE-ID
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    new_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    series: Mapped[ConferenceSeries] = relationship(back_populates="changes")


class SeriesParticipant(db.Model):
    """Someone who attends a series: a hub panel member or a participant."""

    __tablename__ = "series_participants"

    series_id: Mapped[int] = mapped_column(
        ForeignKey("conference_series.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    panel: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class ConferenceAttendance(db.Model):
    """Who attended an occurrence (it counts as CPD hours)."""

    __tablename__ = "conference_attendances"

    series_id: Mapped[int] = mapped_column(
        ForeignKey("conference_series.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    present: Mapped[bool] = mapped_column(Boolean)
    minutes: Mapped[int] = mapped_column(Integer)  # the session's length, for CPD hours
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarFeed(db.Model):
    """A secret feed address: a person's own calendar, or one series'. Revocable."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference_series.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConferenceReminder(db.Model):
    """A reminder for one occurrence to one person, claimed once (unique) in the same
    transaction that queues its e-mail in the outbox (which retries until it is sent)."""

    __tablename__ = "conference_reminders"
    __table_args__ = (UniqueConstraint("series_id", "occurrence_start", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("conference_series.id", ondelete="CASCADE"))
    occurrence_start: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
