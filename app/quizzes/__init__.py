"""Quizzes: attempts, scoring, pre/post knowledge tests, completion and certificates."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.courses.importer import register_import_step
    from app.quizzes import (  # noqa: F401  (rule, tables, routes, the quizzes clause)
        access,
        clauses,
        models,
        views,
    )
    from app.quizzes.importer import save_quizzes

    app.register_blueprint(bp)
    register_import_step(save_quizzes)  # a course's quizzes are saved with the course
