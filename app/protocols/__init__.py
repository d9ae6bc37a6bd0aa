"""Joint protocols and practice guidelines: written in the app as sections of Markdown,
reviewed and approved across partner institutions, published as numbered immutable
versions, adapted from one another, translated segment by segment, adopted by
institutions and linked to the lessons that teach them."""

from flask import Blueprint

bp = Blueprint("protocols", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint and what its modules attach when
    imported (routes, tables, permission rules)."""
    from app.protocols import models  # noqa: F401

    app.register_blueprint(bp)
