"""Cohorts, their members and trainers, and the reminders sent to members."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.courses.models import Course
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.institutions.models import Institution

cohort_courses = Table(
    "cohort_courses",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(db.Model):
    """A group of learners taken through one or more courses by its trainers."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(16))  # the language it is taught in
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    # Anyone signed in with this code (or the link carrying it) may join until it changes.
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    members_visible: Mapped[bool] = mapped_column(Boolean, default=False)
    inactive_days: Mapped[int] = mapped_column(Integer, default=14)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    institution: Mapped[Institution] = relationship(lazy="joined")
    courses: Mapped[list[Course]] = relationship(
        secondary=cohort_courses, order_by=Course.position, lazy="selectin"
    )
    trainers: Mapped[list["CohortTrainer"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def trainer_ids(self) -> set[int]:
        return {trainer.user_id for trainer in self.trainers}


class CohortTrainer(db.Model):
    """A trainer of a cohort: its lead (who created it) or a co-trainer."""

    __tablename__ = "cohort_trainers"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    lead: Mapped[bool] = mapped_column(Boolean, default=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="trainers")
    user: Mapped[User] = relationship(lazy="joined")


class CohortMember(db.Model):
    """A learner in a cohort, and how they came in (code, roster or invitation)."""

    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(12))  # code | roster | invitation

    user: Mapped[User] = relationship()


class Reminder(db.Model):
    """A reminder e-mail sent to a learner; at most one per learner per day (UTC)."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("learner_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    learner: Mapped[User] = relationship(foreign_keys=[learner_id], lazy="joined")
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id], lazy="joined")


class MemberRemoval(db.Model):
    """Learners taken out of a cohort in one go, with how they had joined: the person
    who took them out may put them back for a short while (``services.UNDO_WINDOW``),
    and the cohort keeps a record of who did it and when."""

    __tablename__ = "cohort_removals"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    removed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    removed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    members: Mapped[list["RemovedMember"]] = relationship(
        back_populates="removal", cascade="all, delete-orphan", lazy="selectin"
    )


class RemovedMember(db.Model):
    """One learner of a removal, as their membership was (to restore it as it was)."""

    __tablename__ = "cohort_removed_members"

    removal_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_removals.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(12))

    removal: Mapped[MemberRemoval] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")
