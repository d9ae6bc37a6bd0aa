"""On-site workshops of a cohort, their sessions and who attended them."""

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.auth.models import User
from app.cohorts.models import Cohort
from app.courses.models import Course
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class Workshop(db.Model):
    """An on-site workshop of a cohort; attending its sessions may count toward a course."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    # Attendance counts toward this course's completion rule (``workshop_sessions``).
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The cohort lists its workshops (``cohort.workshops``) without importing this package.
    cohort: Mapped[Cohort] = relationship(
        lazy="joined",
        backref=backref("workshops", order_by="Workshop.created_at", passive_deletes=True),
    )
    course: Mapped[Course | None] = relationship(lazy="joined")
    sessions: Mapped[list["WorkshopSession"]] = relationship(
        back_populates="workshop",
        order_by="WorkshopSession.starts_at",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


workshop_facilitators = Table(
    "workshop_facilitators",
    db.metadata,
    Column("session_id", ForeignKey("workshop_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class WorkshopSession(db.Model):
    """One session of a workshop: when, where, what, and who leads it."""

    __tablename__ = "workshop_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[str] = mapped_column(Text, default="")

    workshop: Mapped[Workshop] = relationship(back_populates="sessions")
    facilitators: Mapped[list[User]] = relationship(
        secondary=workshop_facilitators, order_by=User.name, lazy="selectin"
    )


class Attendance(db.Model):
    """Whether a cohort member was at a workshop session, and who recorded it."""

    __tablename__ = "attendances"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    present: Mapped[bool] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
