"""The e-mail outbox (one row per message, written in the transaction that causes it),
the in-app notifications and each person's choice of how to be told."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
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


class Notification(db.Model):
    """One thing the app told a person, in their list (read ones are pruned after
    ``NOTIFICATION_RETENTION_DAYS``).

    Only the facts are stored (``kind`` and its ``params``); the words are written at
    display time from the kind's templates (``app/notifications/kinds.py``), in the
    viewer's language of the day, so a person who switches language reads the list in
    the new one. ``link`` is an endpoint and its values, built at display time too.
    """

    __tablename__ = "notifications"
    # The header's unread count and the list, newest first: one index serves both.
    __table_args__ = (Index("ix_notifications_recipient_read", "recipient_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} to {self.recipient_id}>"


class NotificationPreference(db.Model):
    """How one person wants to be told of one kind: ``email``, ``app`` or ``both``. No
    row means the default, ``both``."""

    __tablename__ = "notification_preferences"

    EMAIL, APP, BOTH = "email", "app", "both"
    CHANNELS = (BOTH, APP, EMAIL)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(5), default=BOTH)
