"""The e-mail outbox: one row per message, written in the transaction that causes it."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class OutboxMessage(db.Model):
    """A rendered message on its way to the mail server.

    ``queued`` → ``sending`` (claimed by a consumer until ``lease_until``) → ``sent``, or
    back to ``queued`` with a later ``next_attempt_at`` after a temporary failure, or
    ``failed`` after a permanent refusal or too many attempts. ``message_id`` is fixed
    when the row is written, so a message sent again after a crash carries the same
    Message-ID and the receiving side can recognise it.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    template: Mapped[str] = mapped_column(String(60))
    # What the message is about, for the pages that show its fate to whoever sent it:
    # "reminder:12", "invitation:5", "roster:3" (a cohort's roster e-mails)…
    reference: Mapped[str | None] = mapped_column(String(80), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    raw: Mapped[bytes] = mapped_column(LargeBinary)  # the whole MIME message
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
