"""One's calendar: the workshops and case-conference sessions a person takes part in,
as a month grid and an agenda in their own time zone (reads from workshops and
conferences; the learner's and trainer's homes show its ``upcoming_sessions``)."""

from flask import Blueprint

bp = Blueprint("calendar", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint and routes."""
    from app.calendar import views  # noqa: F401  (routes)

    app.register_blueprint(bp)
