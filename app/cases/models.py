"""Cases submitted to a conference occurrence, and their attachments (the tables keep
the names they had when cases were part of app/conferences/)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.conferences.models import ConferenceSeries
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class ConferenceCase(db.Model):
    """A de-identified case submitted to one occurrence, its place on the agenda, and
    the panel's recommendation."""

    __tablename__ = "conference_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("conference_series.id", ondelete="CASCADE"), index=True
    )
    occurrence_start: Mapped[datetime] = mapped_column(UTCDateTime)  # its RECURRENCE-ID
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="submitted")  # accepted, declined
    position: Mapped[int | None] = mapped_column(Integer)
    age_band: Mapped[str] = mapped_column(String(10))
    sex: Mapped[str] = mapped_column(String(10))
    diagnosis: Mapped[str] = mapped_column(Text)
    symptoms_and_medicines: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text)  # psychosocial and family
    goals_of_care: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str | None] = mapped_column(Text)
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submitter: Mapped[User | None] = relationship(lazy="joined")
    series: Mapped[ConferenceSeries] = relationship(lazy="joined")
    attachments: Mapped[list["CaseAttachment"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CaseAttachment.id"
    )


class CaseAttachment(db.Model):
    """A PDF or an image of a case; its bytes live in the file store (app/storage.py).

    A PDF is served as uploaded (``storage_key``). An image is first kept, unserved, under
    ``quarantine_key``; a task re-encodes it without its metadata, stores the result under
    ``storage_key`` and deletes the raw upload. Neither key: the image could not be read.
    """

    __tablename__ = "case_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("conference_cases.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)  # of what is served (or of the raw upload)
    storage_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    quarantine_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    @property
    def ready(self) -> bool:
        """Whether it can be downloaded."""
        return self.storage_key is not None

    @property
    def pending(self) -> bool:
        """Whether it is still being re-encoded."""
        return self.storage_key is None and self.quarantine_key is not None
