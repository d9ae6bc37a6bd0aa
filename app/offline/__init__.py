"""Offline learning: what a device stores to learn without a connection (a course's
manifest), the service worker and the web app manifest served from the site root, a
fresh CSRF token for forms replayed from the device's outbox, and the "On this device"
page. Above study, quizzes and learning, whose pages and rules it lists."""

from flask import Blueprint

bp = Blueprint("offline", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint (routes)."""
    from app.offline import views  # noqa: F401  (routes)

    app.register_blueprint(bp)
