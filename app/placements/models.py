"""Placement offers, the placements made on them and the history of their steps."""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
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
    COMPLETED = "completed"  # after the final assessment: the certificate is issued
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


STATE_LABELS = {
    State.NOMINATED: _l("Nominated"),
    State.APPLIED: _l("Applied"),
    State.ENDORSED: _l("Endorsed"),
    State.SELECTED: _l("Selected"),
    State.ACCEPTED: _l("Accepted"),
    State.COMPLETED: _l("Completed"),
    State.DECLINED: _l("Declined"),
    State.WITHDRAWN: _l("Withdrawn"),
}
FINAL = {State.DECLINED, State.WITHDRAWN}  # closed before the placement took place
ENDED = FINAL | {State.COMPLETED}  # nothing more happens to it

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
    # The learning agreement: the supervisor agrees the observer's objectives.
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set with the final assessment: the placement is completed.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The adaptation plan is shared with the home coordinator (follow-ups are due from it).
    plan_shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the host team learned from the visitor (the exchange runs both ways).
    host_learning: Mapped[str | None] = mapped_column(Text)
    host_learning_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    host_learning_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    offer: Mapped[PlacementOffer] = relationship(lazy="joined")
    observer: Mapped[User] = relationship(foreign_keys=[observer_id], lazy="joined")
    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])
    objectives: Mapped[list["Objective"]] = relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="Objective.position"
    )
    changes: Mapped[list["AdaptationChange"]] = relationship(
        back_populates="placement",
        cascade="all, delete-orphan",
        order_by="AdaptationChange.position",
    )
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


# --- The learning agreement and the assessments ------------------------------------------


class Competency(db.Model):
    """A competency added to the list that ships with the app (app/placements/
    competencies.py), by an administrator or a host coordinator, in their own words."""

    __tablename__ = "placement_competencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)  # "x-<number>": never shipped
    domain: Mapped[str] = mapped_column(String(60))  # a shipped domain code
    title: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Objective(db.Model):
    """One of the three to six objectives of a placement's learning agreement: a
    competency from the list (``competency_code``) or written freely (``text``)."""

    __tablename__ = "placement_objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    competency_code: Mapped[str | None] = mapped_column(String(60))
    text: Mapped[str | None] = mapped_column(Text)

    placement: Mapped[Placement] = relationship(back_populates="objectives")


class Stage(enum.StrEnum):
    MID = "mid"
    FINAL = "final"


class Assessment(db.Model):
    """The supervisor's assessment at mid-point or at the end: each objective rated on
    the entrustment scale, and the days the observer was present."""

    __tablename__ = "placement_assessments"
    __table_args__ = (UniqueConstraint("placement_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[Stage] = mapped_column(
        Enum(Stage, native_enum=False, length=10, values_callable=lambda s: [m.value for m in s])
    )
    days_present: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    placement: Mapped[Placement] = relationship()
    assessor: Mapped[User | None] = relationship()
    ratings: Mapped[list["ObjectiveRating"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class ObjectiveRating(db.Model):
    __tablename__ = "placement_objective_ratings"
    __table_args__ = (UniqueConstraint("assessment_id", "objective_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("placement_assessments.id", ondelete="CASCADE"), index=True
    )
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("placement_objectives.id", ondelete="CASCADE")
    )
    level: Mapped[int] = mapped_column(Integer)  # 1–5 on the entrustment scale
    comment: Mapped[str | None] = mapped_column(Text)

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")
    objective: Mapped[Objective] = relationship()


# --- The logbook ----------------------------------------------------------------------


class LogbookEntry(db.Model):
    """One day of the observer's logbook: activities with their hours and a guided
    reflection. A draft until submitted; the supervisor reads submitted entries."""

    __tablename__ = "placement_logbook_entries"
    __table_args__ = (UniqueConstraint("placement_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    activities: Mapped[list] = mapped_column(JSON, default=list)  # [{"kind": …, "hours": …}]
    saw: Mapped[str] = mapped_column(Text, default="")
    learned: Mapped[str] = mapped_column(Text, default="")
    adapt: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: a draft
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A key made on the device, so an entry sent twice is stored once (offline issue).
    client_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    placement: Mapped[Placement] = relationship()
    comments: Mapped[list["LogbookComment"]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="LogbookComment.id"
    )


class LogbookComment(db.Model):
    __tablename__ = "placement_logbook_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("placement_logbook_entries.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[LogbookEntry] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()


class CheckIn(db.Model):
    """The weekly check-in: one short note per week, shared by observer and supervisor."""

    __tablename__ = "placement_check_ins"
    __table_args__ = (UniqueConstraint("placement_id", "week_starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    week_starts_on: Mapped[date] = mapped_column(Date)  # the placement's own weeks
    note: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    updated_by: Mapped[User | None] = relationship()


# --- Changes made at home, and recognition ---------------------------------------------


class AdaptationChange(db.Model):
    """One concrete change the observer will make at home, with an owner and a date."""

    __tablename__ = "placement_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    target_on: Mapped[date] = mapped_column(Date)

    placement: Mapped[Placement] = relationship(back_populates="changes")


class ChangeStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


CHANGE_STATUS_LABELS = {
    ChangeStatus.NOT_STARTED: _l("Not started"),
    ChangeStatus.IN_PROGRESS: _l("In progress"),
    ChangeStatus.DONE: _l("Done"),
    ChangeStatus.DROPPED: _l("Dropped"),
}


class FollowUp(db.Model):
    """The 3- or 6-month question: where each change of the plan stands."""

    __tablename__ = "placement_follow_ups"
    __table_args__ = (UniqueConstraint("placement_id", "months"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    months: Mapped[int] = mapped_column(Integer)  # 3 or 6
    due_on: Mapped[date] = mapped_column(Date, index=True)
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when people were asked
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    placement: Mapped[Placement] = relationship()
    answered_by: Mapped[User | None] = relationship()
    answers: Mapped[list["FollowUpAnswer"]] = relationship(
        back_populates="follow_up", cascade="all, delete-orphan"
    )


class FollowUpAnswer(db.Model):
    __tablename__ = "placement_follow_up_answers"
    __table_args__ = (UniqueConstraint("follow_up_id", "change_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(
        ForeignKey("placement_follow_ups.id", ondelete="CASCADE"), index=True
    )
    change_id: Mapped[int] = mapped_column(ForeignKey("placement_changes.id", ondelete="CASCADE"))
    status: Mapped[ChangeStatus] = mapped_column(
        Enum(
            ChangeStatus,
            native_enum=False,
            length=20,
            values_callable=lambda s: [m.value for m in s],
        )
    )
    note: Mapped[str | None] = mapped_column(Text)

    follow_up: Mapped[FollowUp] = relationship(back_populates="answers")
    change: Mapped[AdaptationChange] = relationship()


class ObservershipCertificate(db.Model):
    """The certificate of a completed placement, verifiable by its code at /verify like a
    course certificate. What it says is kept as issued (names, host, days, hours)."""

    __tablename__ = "observership_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), unique=True
    )
    code: Mapped[str] = mapped_column(String(20), unique=True)
    holder_name: Mapped[str] = mapped_column(String(120))
    host_name: Mapped[str] = mapped_column(String(200))
    host_city: Mapped[str | None] = mapped_column(String(120))
    programme_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    days_present: Mapped[int] = mapped_column(Integer)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))  # logbook hours: they count as CPD
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    placement: Mapped[Placement] = relationship()
