"""On-site workshops of a cohort: sessions in the institution's time, who leads them,
the attendance sheet, and the ``workshop_sessions`` clause of completion rules."""

from flask import Blueprint

bp = Blueprint("workshops", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.workshops import access, clauses, models, views  # noqa: F401

    app.register_blueprint(bp)
