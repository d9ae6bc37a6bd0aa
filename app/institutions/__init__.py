"""Institutions and programmes: admin management, the coordinator's and funder's pages."""

from flask import Blueprint

bp = Blueprint("institutions", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.institutions import models, views  # noqa: F401  (tables, routes)

    app.register_blueprint(bp)
