"""The transactional e-mail outbox.

A service that causes an e-mail calls ``queue_email`` (or ``queue_emails`` for a batch):
the message is rendered now, in the recipient's language, and written as a row in the
same transaction as the change that causes it. Once that transaction commits, a task
delivers it (``deliver``); the request never waits for the mail server. Delivery claims
rows with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), marks each one sent as soon
as the server took it, retries temporary failures with back-off and records permanent
refusals; a sweeper returns what a dead consumer claimed and never finished, and queues
what a lost task never delivered. So a crash loses no message; the only repeat possible
is the one message in flight at the moment of a crash, and it carries the same
Message-ID.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select, update

from app.db_types import utcnow
from app.email import build_message, render_email
from app.extensions import db
from app.notifications.models import OutboxMessage

if TYPE_CHECKING:
    from app.auth.models import User

# Messages handed to one delivery task (one SMTP connection).
CHUNK = 50
# After this many attempts a temporary failure counts as permanent (about two days).
MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class Mail:
    """One message to queue: the template is rendered in ``locale`` with ``context``."""

    to: str
    template: str
    locale: str | None
    context: dict


def queue_email(
    to: str,
    template: str,
    locale: str | None = None,
    *,
    sent_by: "User | None" = None,
    reference: str | None = None,
    attachments: Iterable = (),
    **context,
) -> OutboxMessage:
    """Render ``template`` for ``to`` and queue it; delivered after the commit."""
    return queue_emails(
        [Mail(to, template, locale, {**context, "attachments": list(attachments)})],
        sent_by=sent_by,
        reference=reference,
    )[0]


def queue_emails(
    mails: Iterable[Mail], *, sent_by: "User | None" = None, reference: str | None = None
) -> list[OutboxMessage]:
    """Queue a batch (a cohort's reminders or invitations); each ``Mail`` may carry its
    own ``reference`` in ``context["reference"]``. Delivered after the commit."""
    from app.notifications.tasks import deliver  # here: the task module imports this one
    from app.tasks import enqueue_after_commit

    rows = [_row(mail, sent_by, reference) for mail in mails]
    db.session.add_all(rows)
    db.session.flush()
    for chunk in chunks([row.id for row in rows]):
        enqueue_after_commit(deliver.s(chunk))
    return rows


def _row(mail: Mail, sent_by: "User | None", reference: str | None) -> OutboxMessage:
    context = dict(mail.context)
    attachments = context.pop("attachments", ())
    reference = context.pop("reference", reference)
    subject, text, html = render_email(mail.template, mail.locale, **context)
    message_id = f"<{uuid.uuid4().hex}@{_domain()}>"
    raw = build_message(mail.to, subject, text, html, message_id, attachments)
    return OutboxMessage(
        message_id=message_id,
        recipient=mail.to,
        subject=subject[:500],
        template=mail.template,
        reference=reference,
        sent_by_id=sent_by.id if sent_by else None,
        raw=raw,
        status=OutboxMessage.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
    )


def _domain() -> str:
    """The Message-ID's right-hand side: the sender's domain."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.rsplit("@", 1)[-1].strip(" >") or "palliare"


def chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def claim(ids: list[int], now: datetime) -> list[int]:
    """Take the due, queued messages among ``ids`` for this consumer until the lease runs
    out; rows another consumer holds are skipped, not waited for."""
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.status == OutboxMessage.QUEUED,
            OutboxMessage.next_attempt_at <= now,
        )
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due))
        .values(
            status=OutboxMessage.SENDING,
            lease_until=now + lease,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted(claimed)


def renew_lease(message: OutboxMessage, now: datetime) -> bool:
    """Extend this consumer's claim just before sending ``message``. False when the lease
    ran out meanwhile (a slow mail server) and the sweeper gave the message back: it is
    then no longer ours to send. Each claim adds an attempt, so the attempt count this
    consumer claimed it with identifies its claim."""
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    renewed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == OutboxMessage.SENDING,
            OutboxMessage.attempts == message.attempts,
        )
        .values(lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return renewed.rowcount == 1


def mark_sent(message: OutboxMessage) -> None:
    message.status = OutboxMessage.SENT
    message.sent_at = utcnow()
    message.lease_until = None
    message.last_error = None


def mark_failed(message: OutboxMessage, error: str) -> None:
    """A permanent refusal: recorded, shown to the sender, never retried by itself."""
    message.status = OutboxMessage.FAILED
    message.lease_until = None
    message.last_error = error[:2000]


def mark_retry(message: OutboxMessage, error: str) -> datetime | None:
    """A temporary failure: queued again after a back-off (1, 2, 4… minutes, at most 6
    hours); returns when, or None when it has had its attempts and is now failed."""
    if message.attempts >= MAX_ATTEMPTS:
        mark_failed(message, error)
        return None
    delay = min(timedelta(minutes=2 ** (message.attempts - 1)), timedelta(hours=6))
    message.status = OutboxMessage.QUEUED
    message.lease_until = None
    message.last_error = error[:2000]
    message.next_attempt_at = utcnow() + delay
    return message.next_attempt_at


def release_expired_leases(now: datetime) -> list[int]:
    """Messages a consumer claimed and never finished (it died): queued again."""
    return list(
        db.session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxMessage.SENDING, OutboxMessage.lease_until < now)
            .values(status=OutboxMessage.QUEUED, lease_until=None)  # due since it was claimed
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
    )


def retry_message(message: OutboxMessage) -> None:
    """An administrator sends a failed message again (its attempts start over)."""
    from app.notifications.tasks import deliver
    from app.tasks import enqueue_after_commit

    message.status = OutboxMessage.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    enqueue_after_commit(deliver.s([message.id]))
