"""The home page (what each role can do), the health check and the error pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.main import views  # noqa: F401  (routes)
    from app.main.notification_views import bp as notifications_bp

    app.register_blueprint(bp)
    app.register_blueprint(notifications_bp)
