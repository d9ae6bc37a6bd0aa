"""Cohorts: their members (by join code, invitation or roster), co-trainers, the
progress matrix and reminders. Workshops and trainers have their own packages."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.cohorts import access, models, roster_views, views  # noqa: F401

    app.register_blueprint(bp)
