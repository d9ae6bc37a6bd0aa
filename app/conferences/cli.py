"""``flask conferences send-reminders``: for cron. E-mails each participant before a
session, once: a reminder is recorded before it is sent, under a unique key, so running
the command twice (or on two machines at once) never sends twice."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import exc, select

from app.conferences.mail import series_mails
from app.conferences.models import ConferenceReminder, ConferenceSeries
from app.conferences.recurrence import occurrences
from app.conferences.services import participants
from app.db_types import utcnow
from app.email import deliver_batch, render_batch
from app.extensions import db

conferences_cli = AppGroup("conferences", help="Case conferences.")


@conferences_cli.command("send-reminders")
@click.option("--hours", default=24, show_default=True, help="Remind this long before.")
def send_reminders_command(hours: int):
    """E-mail participants of every session starting within HOURS (once each)."""
    if not current_app.config.get("SERVER_NAME"):
        raise click.UsageError("Set SERVER_NAME (e.g. palliare.example.org): e-mails need links.")
    sent = send_reminders(timedelta(hours=hours))
    click.echo(f"{sent} reminder(s) sent.")


def send_reminders(ahead: timedelta) -> int:
    """Remind everyone due and not yet reminded; returns how many were sent.

    Per session: claim the reminders, render the e-mails, commit the claims, then send.
    A failure before the commit claims nothing; a second run finds the claims taken.
    """
    now, sent = utcnow(), 0
    for series in db.session.scalars(select(ConferenceSeries)).all():
        for occurrence in occurrences(series, now, now + ahead):
            if occurrence.cancelled or occurrence.start < now:
                continue
            people = [p.user for p in participants(series) if _claim(series, occurrence, p.user_id)]
            messages = render_batch(
                series_mails(series, "conference_reminder", people, occurrence=occurrence)
            )
            db.session.commit()
            deliver_batch(messages)
            sent += len(messages)
    return sent


def _claim(series, occurrence, user_id: int) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(
                ConferenceReminder(
                    series_id=series.id, occurrence_start=occurrence.original_start, user_id=user_id
                )
            )
    except exc.IntegrityError:
        return False
    return True
