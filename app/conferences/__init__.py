"""Case conferences: recurring series across time zones, calendar feeds, attendance and
reminders. The cases submitted to them are their own package (app/cases/), which
registers the agenda and queue these pages show (app/conferences/agenda.py)."""

from flask import Blueprint

bp = Blueprint("conferences", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.conferences import (  # noqa: F401
        access,
        cpd,
        feed_views,
        models,
        views,
    )
    from app.conferences.cli import conferences_cli

    app.register_blueprint(bp)
    app.cli.add_command(conferences_cli)
