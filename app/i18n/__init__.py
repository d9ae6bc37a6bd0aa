"""Languages: locale selection, catalogs, and the translators' pages and commands."""

from flask import Blueprint

from app.i18n import models  # noqa: F401  (catalog revisions: tables for the migrations)

bp = Blueprint("translate", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, rule and commands (``flask
    translations``, ``flask courses extract``), and the uploaded catalog revisions as a
    source the course import reads."""
    from app.courses.cli import courses_cli
    from app.courses.importer import register_catalog_source
    from app.i18n import access, document_views, views  # noqa: F401  (rule, routes)
    from app.i18n.cli import extract, translations_cli
    from app.i18n.queries import latest_catalog_texts

    app.register_blueprint(bp)
    app.cli.add_command(translations_cli)
    courses_cli.add_command(extract)  # flask courses extract
    register_catalog_source(latest_catalog_texts)  # the translators' uploaded catalogs
