"""Placement offers, the placements made on them and the history of their steps."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Column, Date, Enum, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.courses.models import Course
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.institutions.models import Institution, Programme

# What an observer will see, stored as codes and shown translated.
ACTIVITIES = {
    "ward_rounds": _l("Ward rounds"),
    "team_meetings": _l("Team meetings"),
    "family_meetings": _l("Family meetings"),
    "home_visits": _l("Home visits"),
    "hospice": _l("Hospice"),
    "outpatient_clinics": _l("Outpatient clinics"),
    "video_consultations": _l("Video consultations"),
}


class State(enum.StrEnum):
    """Where a placement stands (services.py holds the transitions between them)."""

    NOMINATED = "nominated"  # by the home coordinator: counts as their endorsement
    APPLIED = "applied"  # by the person: waits for their coordinator's endorsement
    ENDORSED = "endorsed"
    SELECTED = "selected"  # by the programme's administrators
    ACCEPTED = "accepted"  # by the host, with dates and a supervisor
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


STATE_LABELS = {
    State.NOMINATED: _l("Nominated"),
    State.APPLIED: _l("Applied"),
    State.ENDORSED: _l("Endorsed"),
    State.SELECTED: _l("Selected"),
    State.ACCEPTED: _l("Accepted"),
    State.DECLINED: _l("Declined"),
    State.WITHDRAWN: _l("Withdrawn"),
}
FINAL = {State.DECLINED, State.WITHDRAWN}

offer_supervisors = Table(
    "placement_offer_supervisors",
    db.metadata,
    Column("offer_id", ForeignKey("placement_offers.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class PlacementOffer(db.Model):
    """Places for observers at a host institution, within a programme and a date window."""

    __tablename__ = "placement_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    host_institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    window_starts_on: Mapped[date] = mapped_column(Date)
    window_ends_on: Mapped[date] = mapped_column(Date)
    # Fixed dates: every observer starts on window_starts_on; else any day that fits.
    fixed_dates: Mapped[bool] = mapped_column(Boolean, default=False)
    length_days: Mapped[int] = mapped_column(Integer)
    places: Mapped[int] = mapped_column(Integer)
    supervision_locale: Mapped[str] = mapped_column(String(16))
    activities: Mapped[list] = mapped_column(JSON, default=list)  # codes of ACTIVITIES
    prerequisite_course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(lazy="joined")
    host: Mapped[Institution] = relationship(lazy="joined")
    prerequisite: Mapped[Course | None] = relationship()
    supervisors: Mapped[list[User]] = relationship(
        secondary=offer_supervisors, order_by=User.name, lazy="selectin"
    )


class Placement(db.Model):
    """One person's way through an offer, from nomination or application onwards."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("placement_offers.id", ondelete="CASCADE"), index=True
    )
    observer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[State] = mapped_column(
        Enum(State, native_enum=False, length=20, values_callable=lambda s: [m.value for m in s])
    )
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    offer: Mapped[PlacementOffer] = relationship(lazy="joined")
    observer: Mapped[User] = relationship(foreign_keys=[observer_id], lazy="joined")
    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])
    steps: Mapped[list["PlacementStep"]] = relationship(
        back_populates="placement",
        cascade="all, delete-orphan",
        order_by="PlacementStep.id",
    )

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


class PlacementStep(db.Model):
    """One step a placement took: the state it reached, who took it, when, and why."""

    __tablename__ = "placement_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[State] = mapped_column(
        Enum(State, native_enum=False, length=20, values_callable=lambda s: [m.value for m in s])
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    placement: Mapped[Placement] = relationship(back_populates="steps")
    actor: Mapped[User | None] = relationship()

    @property
    def state_label(self):
        return STATE_LABELS[self.state]
