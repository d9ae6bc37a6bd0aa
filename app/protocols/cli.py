"""``flask protocols remind-reviews``: tell the authors of protocols past their review-by
date, by hand (the task queue does it every morning; see app/protocols/tasks.py)."""

from datetime import date

import click
from flask.cli import AppGroup

from app.db_types import utcnow
from app.protocols.reminders import remind_reviews

protocols_cli = AppGroup("protocols", help="Joint protocols and guidelines.")


@protocols_cli.command("remind-reviews")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Default: today (UTC).")
def remind_reviews_command(today):
    """Tell the authors of every protocol past its review-by date (once per date)."""
    day: date = today.date() if today else utcnow().date()
    told = remind_reviews(day)
    click.echo(f"{told} protocol(s) due for review: authors told.")
