"""The public library: captioned advocacy videos for patients, families and the public,
readable without an account, in every language the programme serves, in renditions
small enough for a slow link."""

from flask import Blueprint

bp = Blueprint("library", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint and what its modules attach when
    imported (routes, tables, tasks)."""
    from app.library import caption_views, models, texts  # noqa: F401

    app.register_blueprint(bp)
