"""``flask reports``: the dashboards' summary tables (app/dashboards/summary.py)."""

import time

import click
from flask.cli import AppGroup

from app.dashboards import summary
from app.dashboards.summary_check import check_and_repair, find_mismatches
from app.extensions import db

reports_cli = AppGroup("reports", help="The dashboards' summary tables.")


@reports_cli.command("rebuild")
def rebuild_command():
    """Recompute the summary tables from the raw rows (after a bulk import or a restore)."""
    started = time.perf_counter()
    summary.rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"Summary tables rebuilt in {time.perf_counter() - started:.1f} s.")


@reports_cli.command("check")
@click.option("--repair", is_flag=True, help="Rebuild the tables when they differ.")
def check_command(repair: bool):
    """Compare the summary tables with a recount from the raw rows (the queue does this
    every night, and repairs)."""
    connection = db.session.connection()
    problems = (check_and_repair if repair else find_mismatches)(connection)
    db.session.commit()
    for problem in problems[:50]:
        click.echo(problem)
    click.echo(f"{len(problems)} difference(s){' repaired' if problems and repair else ''}.")
    if problems and not repair:
        raise SystemExit(1)
