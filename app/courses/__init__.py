"""Courses: the content format and loader (files → rows), catalog, lessons, progress."""

from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses")


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.courses import access, models, views  # noqa: F401  (rule, tables, routes)
    from app.courses.cli import courses_cli

    app.register_blueprint(bp)
    app.cli.add_command(courses_cli)
