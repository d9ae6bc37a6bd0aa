"""Read-only lists for the conference pages."""

from sqlalchemy import select

from app.auth.models import User
from app.auth.permissions import scope
from app.conferences.models import ConferenceCase, ConferenceSeries
from app.extensions import db


def list_series_for(user: User) -> list[ConferenceSeries]:
    """Series ``user`` may see, by title (the series rule as a filter: one query)."""
    query = select(ConferenceSeries).order_by(ConferenceSeries.title)
    return list(db.session.scalars(scope(user, query, ConferenceSeries)))


def list_cases_of(user: User, series: ConferenceSeries) -> list[ConferenceCase]:
    """The cases ``user`` submitted to a series, newest first."""
    return list(
        db.session.scalars(
            select(ConferenceCase)
            .where(ConferenceCase.series_id == series.id, ConferenceCase.submitter_id == user.id)
            .order_by(ConferenceCase.created_at.desc())
        )
    )
