"""Outbox delivery on the task queue, and the sweeper that makes it crash-proof."""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.db_types import utcnow
from app.email import MailTransport, PermanentFailure, ServerUnavailable, TemporaryFailure
from app.extensions import db
from app.notifications import outbox, queries
from app.notifications.models import OutboxMessage
from app.tasks import crontab, enqueue_now, periodic_task, task

log = logging.getLogger(__name__)

# A queued message due for longer than this has lost its task; the sweeper queues it.
SWEEP_GRACE = timedelta(seconds=60)


@task()
def deliver(ids: list[int]) -> None:
    """Send the outbox messages ``ids`` over one connection; each is committed as sent
    the moment the server took it, so a crash repeats at most the one in flight."""
    claimed = outbox.claim(ids, utcnow())
    db.session.commit()
    if not claimed:
        return  # sent already, or another consumer has them
    with MailTransport() as transport:
        retry_at = _send_claimed(transport, claimed)
    if retry_at is not None:
        # The sweeper would find them too; this brings them back at the right time.
        deliver.schedule(args=(claimed,), eta=retry_at.replace(tzinfo=None))


def _send_claimed(transport: MailTransport, claimed: list[int]):
    """Send each claimed message and record its fate; returns when to try again, if a
    temporary failure left some queued."""
    sender, retry_at, unavailable = current_app.config["MAIL_DEFAULT_SENDER"], None, None
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id.in_(claimed))
        .execution_options(populate_existing=True)  # as claimed (attempts, lease)
    )
    for message in messages.all():
        try:
            if unavailable:
                raise unavailable  # no connection: the rest of the chunk waits as well
            if not outbox.renew_lease(message, utcnow()):
                db.session.commit()
                continue  # the lease ran out and another consumer may have it now
            db.session.commit()
            transport.send(message.raw, sender, message.recipient, _copy_name(message))
        except PermanentFailure as error:
            log.warning("E-mail %s to %s refused: %s", message.id, message.recipient, error)
            outbox.mark_failed(message, str(error))
        except TemporaryFailure as error:
            log.warning("E-mail %s to %s delayed: %s", message.id, message.recipient, error)
            unavailable = error if isinstance(error, ServerUnavailable) else None
            retry_at = outbox.mark_retry(message, str(error)) or retry_at
        else:
            outbox.mark_sent(message)
        db.session.commit()
    return retry_at


def _copy_name(message: OutboxMessage) -> str:
    """The .eml file name in development: sortable by time, then the row."""
    return f"{message.created_at:%Y%m%d-%H%M%S}-{message.id:06d}-{message.template}"


@periodic_task(crontab(minute="*"), lock="outbox-sweep", lock_ttl=120)
def sweep_outbox() -> None:
    """Every minute: release leases a dead consumer held, queue what lost its task."""
    sweep(utcnow())


def sweep_now() -> int:
    """Sweep once, now, from a command (a consumer starting up, ``flask tasks sweep``)."""
    return sweep(utcnow())


@periodic_task(crontab(minute="17", hour="3"), lock="notifications-prune", lock_ttl=600)
def prune_notifications() -> None:
    """Every night: delete in-app notifications read more than the retention ago."""
    from app.notifications.services import prune_read  # services import the outbox, too

    prune_read(utcnow(), current_app.config["NOTIFICATION_RETENTION_DAYS"])
    db.session.commit()


def sweep(now) -> int:
    """Return expired leases to the queue and queue overdue messages; returns how many
    messages were queued again."""
    released = outbox.release_expired_leases(now)
    db.session.commit()
    if released:
        log.warning(
            "Outbox: %d message(s) held by a consumer that stopped: queued again", len(released)
        )
    overdue = sorted(set(released) | set(queries.list_overdue(now, SWEEP_GRACE)))
    db.session.commit()  # hold no transaction (on SQLite, no write lock) while queuing
    for chunk in outbox.chunks(overdue):
        enqueue_now(deliver.s(chunk))
    return len(overdue)
