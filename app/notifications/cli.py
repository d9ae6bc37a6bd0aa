"""``flask notifications prune``: delete in-app notifications read long ago."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.db_types import utcnow
from app.extensions import db
from app.notifications.services import prune_read

notifications_cli = AppGroup("notifications", help="In-app notifications.")


@notifications_cli.command("prune")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="Keep what was read within this many days (default: NOTIFICATION_RETENTION_DAYS).",
)
def prune_command(days: int | None):
    """Delete notifications read more than DAYS ago (unread ones are kept)."""
    days = current_app.config["NOTIFICATION_RETENTION_DAYS"] if days is None else days
    deleted = prune_read(utcnow(), days)
    db.session.commit()
    click.echo(f"{deleted} read notification(s) older than {days} days deleted.")
