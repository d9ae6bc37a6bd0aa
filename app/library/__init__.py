"""The public library: captioned advocacy videos for patients, families and the public,
readable without an account, in every language the programme serves, in renditions
small enough for a slow link."""

import os

from flask import Blueprint

bp = Blueprint("library", __name__)

# Upload limits (checked before anything is stored; app/library/services.py).
DEFAULT_MAX_UPLOAD = 200 * 1024 * 1024
DEFAULT_MAX_SECONDS = 20 * 60


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint and what its modules attach when
    imported (routes, tables, tasks)."""
    from app.library import caption_views, manage_views, models, texts, views  # noqa: F401

    app.config.setdefault(
        "LIBRARY_MAX_UPLOAD", int(os.environ.get("LIBRARY_MAX_UPLOAD", DEFAULT_MAX_UPLOAD))
    )
    app.config.setdefault(
        "LIBRARY_MAX_SECONDS", int(os.environ.get("LIBRARY_MAX_SECONDS", DEFAULT_MAX_SECONDS))
    )
    app.register_blueprint(bp)
