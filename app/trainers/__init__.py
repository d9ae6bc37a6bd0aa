"""The trainer pathway: certified trainers, signing off teaching practice, revocation,
and the train-the-trainer cascade."""

from flask import Blueprint

bp = Blueprint("trainers", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.trainers import access, models, views  # noqa: F401

    app.register_blueprint(bp)
