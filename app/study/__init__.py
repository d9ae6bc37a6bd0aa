"""Studying a course: the course page, enrolling, the lesson pages and marking a lesson
complete, and the course's files (under /courses/, like the catalog). Above courses,
learning and quizzes, which these pages bring together."""

from flask import Blueprint

bp = Blueprint("study", __name__, url_prefix="/courses")


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint (routes)."""
    from app.study import views  # noqa: F401  (routes)

    app.register_blueprint(bp)
