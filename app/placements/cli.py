"""``flask placements ask-follow-ups``: ask the adaptation plans' follow-ups that are due,
by hand (the task queue does it every morning; see app/placements/tasks.py)."""

from datetime import date

import click
from flask.cli import AppGroup

from app.db_types import utcnow
from app.placements.tasks import ask_follow_ups

placements_cli = AppGroup("placements", help="Observership placements.")


@placements_cli.command("ask-follow-ups")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Default: today (UTC).")
def ask_follow_ups_command(today):
    """Tell the observers and their coordinators of every follow-up due (once each)."""
    day: date = today.date() if today else utcnow().date()
    asked = ask_follow_ups(day)
    click.echo(f"{asked} follow-up(s) asked.")
