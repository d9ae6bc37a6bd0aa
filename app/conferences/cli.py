"""``flask conferences send-reminders``: queue the reminders that are due now, by hand
(the task queue does this every 15 minutes; see app/conferences/reminders.py).

The group also carries ``flask conferences scan-text``, which the cases package adds
(app/cases/cli.py): the case form's checks belong to cases, the command keeps its name."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from app.conferences.reminders import send_reminders

conferences_cli = AppGroup("conferences", help="Case conferences.")


@conferences_cli.command("send-reminders")
@click.option("--hours", default=24, show_default=True, help="Remind this long before.")
def send_reminders_command(hours: int):
    """Queue a reminder for participants of every session starting within HOURS (once
    each); a running worker sends them."""
    if not current_app.config.get("SERVER_NAME"):
        raise click.UsageError("Set SERVER_NAME (e.g. palliare.example.org): e-mails need links.")
    queued = send_reminders(timedelta(hours=hours))
    click.echo(f"{queued} reminder(s) queued.")
