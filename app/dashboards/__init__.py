"""Dashboards: reporting figures for programmes (aggregates only), with suppression of
small counts, charts and exports. Nothing imports this package."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables), and the summary tables' recount to the
    services' signals."""
    from app.dashboards import access, api, models, summary, views  # noqa: F401
    from app.dashboards.cli import reports_cli
    from app.extensions import AppSession

    app.register_blueprint(bp)
    app.cli.add_command(reports_cli)
    summary.connect(AppSession)
