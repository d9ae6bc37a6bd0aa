"""``flask reports``: the dashboards' summary tables (app/dashboards/summary.py)."""

import time

import click
from flask.cli import AppGroup

from app.dashboards import summary
from app.extensions import db

reports_cli = AppGroup("reports", help="The dashboards' summary tables.")


@reports_cli.command("rebuild")
def rebuild_command():
    """Recompute the summary tables from the raw rows (after a bulk import or a restore)."""
    started = time.perf_counter()
    summary.rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"Summary tables rebuilt in {time.perf_counter() - started:.1f} s.")
