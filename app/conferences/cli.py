"""``flask conferences send-reminders``: for cron. E-mails each participant before a
session, once: a reminder is claimed under a unique key before it is sent, so running the
command twice (or on two machines at once) never sends twice; it is marked delivered when
the mail server took it, and a claim left undelivered (the server was down) is retried
by a later run once it is older than ``RETRY_AFTER``."""

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


RETRY_AFTER = timedelta(minutes=30)


def send_reminders(ahead: timedelta) -> int:
    """Remind everyone due and not yet reminded; returns how many were delivered."""
    now, sent = utcnow(), 0
    for series in db.session.scalars(select(ConferenceSeries)).all():
        for occurrence in occurrences(series, now, now + ahead):
            if not occurrence.cancelled and occurrence.start >= now:
                sent += _remind(series, occurrence, now)
    return sent


def _remind(series, occurrence, now) -> int:
    """Claim, render, commit, deliver, mark delivered: one session's reminders."""
    claims = [c for p in participants(series) if (c := _claim(series, occurrence, p.user_id, now))]
    people = {p.user_id: p.user for p in participants(series)}
    messages = render_batch(
        series_mails(series, "conference_reminder", [people[c.user_id] for c in claims],
                     occurrence=occurrence)
    )  # fmt: skip
    db.session.commit()  # claimed: no other run takes them now
    deliver_batch(messages)  # raises if the server is down: the claims stay undelivered
    for claim in claims:
        claim.delivered_at = utcnow()
    db.session.commit()
    return len(messages)


def _claim(series, occurrence, user_id: int, now) -> ConferenceReminder | None:
    """This person's reminder for this session, if nobody has it: new, or an old claim
    never delivered."""
    try:
        with db.session.begin_nested():
            claim = ConferenceReminder(
                series_id=series.id, occurrence_start=occurrence.original_start,
                user_id=user_id, claimed_at=now,
            )  # fmt: skip
            db.session.add(claim)
        return claim
    except exc.IntegrityError:
        pass
    stale = db.session.scalar(
        select(ConferenceReminder)
        .where(
            ConferenceReminder.series_id == series.id,
            ConferenceReminder.occurrence_start == occurrence.original_start,
            ConferenceReminder.user_id == user_id,
            ConferenceReminder.delivered_at.is_(None),
            ConferenceReminder.claimed_at < now - RETRY_AFTER,
        )
        .with_for_update()  # two runs retrying at once: the second then finds it fresh
    )
    if stale is not None:
        stale.claimed_at = now
    return stale
