"""Languages: locale selection, catalogs, and the translators' pages and commands."""

from flask import Blueprint

from app.i18n import models  # noqa: F401  (catalog revisions: tables for the migrations)

bp = Blueprint("translate", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.i18n import access, views  # noqa: F401  (rule, routes)
    from app.i18n.cli import translations_cli

    app.register_blueprint(bp)
    app.cli.add_command(translations_cli)
