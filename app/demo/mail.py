"""The demo's e-mail history, so that the pages that show what became of a message have
something to show: a reminder the Beijing trainer sent, delivered to one learner and
refused by the other's mail server (the cohort page's reminder log, the administrators'
*Background work* page with **Send again**)."""

from datetime import timedelta

from sqlalchemy import select

from app.auth import services as auth
from app.cohorts.models import Cohort, Reminder
from app.db_types import utcnow
from app.extensions import db
from app.notifications import outbox
from app.notifications.models import OutboxMessage
from app.urls import external_url

COHORT = "Beijing ward teams: foundations 2026"
# learner, what their mail server said (None: delivered)
REMINDED = [
    ("chen.jing@example.org", None),
    ("sun.li@example.org", "550 5.1.1 <sun.li@example.org>: mailbox unavailable"),
]


def ensure_mail() -> None:
    """The reminders and their fates (once)."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == COHORT))
    if cohort is None or db.session.scalar(
        select(Reminder.id).where(Reminder.cohort_id == cohort.id)
    ):
        return
    trainer = auth.get_user_by_email("liu.yang@example.org")
    sent_on = utcnow() - timedelta(days=3)
    for email, refusal in REMINDED:
        message = _remind(cohort, trainer, auth.get_user_by_email(email), sent_on)
        _settle(message, refusal, sent_on)


def _remind(cohort: Cohort, trainer, learner, sent_on) -> OutboxMessage:
    """A reminder sent by the trainer three days ago, and its e-mail in the outbox."""
    reminder = Reminder(
        cohort_id=cohort.id,
        learner_id=learner.id,
        sent_by_id=trainer.id,
        sent_on=sent_on.date(),
        sent_at=sent_on,
    )
    db.session.add(reminder)
    db.session.flush()
    context = {
        "learner": learner,
        "cohort": cohort,
        "trainer": trainer,
        "link": external_url("cohorts.cohort", cohort_id=cohort.id),
        "reference": f"reminder:{reminder.id}",
    }
    mail = outbox.Mail(learner.email, "reminder", learner.locale or cohort.locale, context)
    [message] = outbox.queue_emails([mail], sent_by=trainer)
    return message


def _settle(message: OutboxMessage, refusal: str | None, when) -> None:
    """As the worker would have left it three days ago."""
    message.created_at = message.next_attempt_at = when
    message.attempts = 1
    if refusal:
        outbox.mark_failed(message, refusal)
    else:
        outbox.mark_sent(message)
        message.sent_at = when
