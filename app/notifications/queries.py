"""Reads of the outbox (what is overdue, what became of a batch or a reference, the
queue page's summary; claiming and leasing are conditional UPDATEs: they stay in
``outbox``) and of the in-app notifications and their preferences."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.notifications.models import Notification, NotificationPreference, OutboxMessage


def list_overdue(now: datetime, grace: timedelta, limit: int = 5000) -> list[int]:
    """Queued messages due for longer than ``grace``: their task was lost (the queue
    store was down, or a consumer died holding it)."""
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxMessage.QUEUED,
                OutboxMessage.next_attempt_at <= now - grace,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def statuses_by_reference(references: Iterable[str]) -> dict[str, str]:
    """The latest message's status for each reference (``"reminder:12"`` → ``"sent"``)."""
    references = list(references)
    if not references:
        return {}
    latest = (
        select(func.max(OutboxMessage.id))
        .where(OutboxMessage.reference.in_(references))
        .group_by(OutboxMessage.reference)
    )
    rows = db.session.execute(
        select(OutboxMessage.reference, OutboxMessage.status).where(OutboxMessage.id.in_(latest))
    )
    return dict(rows.all())


def already_mailed(reference: str, template: str, recipients: list[str]) -> set[str]:
    """Which of ``recipients`` this batch (``reference``) has already sent ``template`` to,
    whatever became of the message: a repeated action does not e-mail them again."""
    return set(
        db.session.scalars(
            select(OutboxMessage.recipient).where(
                OutboxMessage.reference == reference,
                OutboxMessage.template == template,
                OutboxMessage.recipient.in_(recipients),
            )
        )
    )


def count_by_status(reference: str) -> dict[str, int]:
    """How many of a batch's messages are queued, sending, sent or failed."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.reference == reference)
        .group_by(OutboxMessage.status)
    )
    return dict(rows.all())


def list_failed(reference: str, limit: int = 50) -> list[OutboxMessage]:
    """A batch's messages that could not be delivered, with the server's reason."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.reference == reference, OutboxMessage.status == OutboxMessage.FAILED
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class OutboxSummary:
    """What the administrators' queue page shows of the outbox."""

    counts: dict[str, int]
    oldest_waiting: datetime | None  # when the longest-waiting message was due
    failed: list[OutboxMessage]


def summarise_outbox(failed_limit: int = 50) -> OutboxSummary:
    """Messages per status, the oldest one still waiting, and the latest failures."""
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    oldest = db.session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status.in_([OutboxMessage.QUEUED, OutboxMessage.SENDING])
        )
    )
    failed = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxMessage.FAILED)
        .order_by(OutboxMessage.id.desc())
        .limit(failed_limit)
    ).all()
    return OutboxSummary(counts, oldest, list(failed))


# --- In-app notifications -----------------------------------------------------------


def count_unread(user_id: int) -> int:
    """How many of ``user_id``'s notifications are unread (one COUNT on the index)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
    )


def unread_count_column(user_id: int):
    """``count_unread`` as a scalar subquery, to read beside another page's first query."""
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def list_notifications(user_id: int, page: int, per_page: int = 25):
    """One page of ``user_id``'s notifications, newest first (a Flask-SQLAlchemy page)."""
    query = (
        select(Notification)
        .where(Notification.recipient_id == user_id)
        .order_by(Notification.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def get_notification(notification_id: int) -> Notification | None:
    return db.session.get(Notification, notification_id)


def list_channels(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """The channels people chose, ``{(user_id, kind): channel}``; kinds with no row are
    left out (they get the default)."""
    user_ids = list(set(user_ids))
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(
            NotificationPreference.user_id,
            NotificationPreference.kind,
            NotificationPreference.channel,
        ).where(NotificationPreference.user_id.in_(user_ids))
    )
    return {(user_id, kind): channel for user_id, kind, channel in rows}


def existing_values(table_name: str, column: str, values: Iterable) -> set:
    """Which of ``values`` still exist in ``table_name.column``: the targets of links
    (the notifications package knows the tables by name only, as it sits below them)."""
    values = list(set(values))
    table = db.metadata.tables.get(table_name)
    if table is None or not values:
        return set()
    return set(db.session.scalars(select(table.c[column]).where(table.c[column].in_(values))))
