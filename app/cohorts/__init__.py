"""Cohorts: their members (by join code, invitation or roster), co-trainers, the
progress matrix and reminders. Workshops and trainers have their own packages."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, its rule, its tables and routes,
    and joining a cohort when its roster's invitation is accepted (``app.events``)."""
    from app.cohorts import access, matrix_views, models, roster_views, views  # noqa: F401
    from app.events import invitation_accepted

    app.register_blueprint(bp)
    invitation_accepted.connect(_join_invited_cohort)


def _join_invited_cohort(_sender, user, invitation) -> None:
    from app.cohorts.services import join_after_invitation

    join_after_invitation(user, invitation)
