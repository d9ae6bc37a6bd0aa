"""Reminders before each case-conference session, by e-mail, once per person.

A periodic task (every 15 minutes) reminds the participants of every session starting
within ``REMIND_AHEAD``; ``flask conferences send-reminders`` does the same by hand. Each
reminder is claimed under a unique key in the same transaction that queues its e-mail
in the outbox and/or writes its in-app notification (as each person chose), so running
twice, or on two consumers at once, never tells twice, and the outbox retries until the
mail server has it.
"""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exc, select

from app.conferences.mail import mail_series
from app.conferences.models import ConferenceReminder, ConferenceSeries
from app.conferences.queries import participants
from app.conferences.recurrence import occurrences
from app.db_types import utcnow
from app.extensions import db
from app.tasks import crontab, periodic_task

log = logging.getLogger(__name__)

REMIND_AHEAD = timedelta(hours=24)


@periodic_task(crontab(minute="*/15"), lock="conference-reminders", lock_ttl=900)
def remind_participants() -> None:
    """Every 15 minutes: queue the reminders that are due."""
    if not current_app.config.get("SERVER_NAME"):
        log.error("Conference reminders not sent: set SERVER_NAME, e-mails need links.")
        return
    send_reminders(REMIND_AHEAD)


def send_reminders(ahead: timedelta) -> int:
    """Queue a reminder for everyone due and not yet reminded, committing per session;
    returns how many were queued."""
    now, queued = utcnow(), 0
    for series in db.session.scalars(select(ConferenceSeries)).all():
        for occurrence in occurrences(series, now, now + ahead):
            if not occurrence.cancelled and occurrence.start >= now:
                queued += _remind(series, occurrence, now)
                db.session.commit()
    return queued


def _remind(series: ConferenceSeries, occurrence, now: datetime) -> int:
    """Claim and queue one session's reminders (people already claimed are skipped)."""
    people = [p.user for p in participants(series)]
    due = [person for person in people if _claim(series, occurrence, person.id, now)]
    mail_series(series, "conference_reminder", due, occurrence=occurrence)
    return len(due)


def _claim(series: ConferenceSeries, occurrence, user_id: int, now: datetime) -> bool:
    """True if this person's reminder for this session was not claimed before."""
    try:
        with db.session.begin_nested():
            db.session.add(
                ConferenceReminder(
                    series_id=series.id,
                    occurrence_start=occurrence.original_start,
                    user_id=user_id,
                    claimed_at=now,
                )
            )
    except exc.IntegrityError:
        return False
    return True
