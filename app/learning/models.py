"""What a learner achieved: completions of a course's rule, their certificates, and
knowledge gain (a learner's pre-test and post-test results as a matched pair)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Float, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.courses.models import Course
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class KnowledgeGain(db.Model):
    """A learner's pre-test and first post-test result in a course (matched pair)."""

    __tablename__ = "knowledge_gains"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    pre_attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    post_attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    pre_percent: Mapped[float] = mapped_column(Float)
    post_percent: Mapped[float] = mapped_column(Float)
    gain: Mapped[float] = mapped_column(Float)  # post minus pre, in percentage points
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Completion(db.Model):
    """A learner met a course's completion rule; recorded once, with the rule's version."""

    __tablename__ = "completions"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rule_version: Mapped[int] = mapped_column(Integer)
    rule: Mapped[dict] = mapped_column(JSON)  # the rule as it was when met

    course: Mapped[Course] = relationship()
    certificate: Mapped["Certificate | None"] = relationship(back_populates="completion")


class Certificate(db.Model):
    """The certificate of a completion, verifiable by its code at /verify/<code>."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    completion_id: Mapped[int] = mapped_column(
        ForeignKey("completions.id", ondelete="CASCADE"), unique=True
    )
    code: Mapped[str] = mapped_column(String(20), unique=True)
    holder_name: Mapped[str] = mapped_column(String(120))
    course_titles: Mapped[dict] = mapped_column(JSON)  # the course title in every language
    cpd_hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    # Who stood behind it when it was issued, kept as issued (like the holder's name), so
    # /verify does not change when the holder moves to another institution later.
    issuer_institution: Mapped[str | None] = mapped_column(String(200))
    issuer_programmes: Mapped[list] = mapped_column(JSON, default=list)

    completion: Mapped[Completion] = relationship(back_populates="certificate")


class SubmissionReceipt(db.Model):
    """A form a learner sent with a ``submission_key`` (made on the page or on the device),
    accepted once: a repeat of the same key gets this first answer back (``url``,
    ``message``) instead of being stored again. Claimed before the work it stands for, in
    the same transaction, so a concurrent repeat waits on the unique index."""

    __tablename__ = "submission_receipts"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # "lesson", "attempt", "logbook"
    url: Mapped[str | None] = mapped_column(String(500))  # where the first result points
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
