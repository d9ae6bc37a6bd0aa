"""Trainer certifications: who certified whom, in which generation of the cascade."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.courses.models import Course
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class TrainerCertification(db.Model):
    """A certified trainer: who certified them, when, and their generation in the cascade.

    Master trainers (generation 0) are certified by an administrator (``certified_by`` is
    empty); everyone else by a certified trainer, one generation further out.
    """

    __tablename__ = "trainer_certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A person may be certified again after a revocation: the latest record counts.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    certified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    generation: Mapped[int] = mapped_column(Integer)
    practice_observed_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    certified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    certified_by: Mapped[User | None] = relationship(foreign_keys=[certified_by_id])
    course: Mapped[Course | None] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None
