"""Administration of user accounts and their roles, of institutions and programmes (with
the coordinator's institution page and the funder's programme page), and the queue page."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.admin import institution_views, queue_views, views  # noqa: F401  (routes)

    app.register_blueprint(bp)
    app.register_blueprint(institution_views.bp)  # endpoints institutions.*
