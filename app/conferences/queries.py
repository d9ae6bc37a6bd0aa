"""Read-only lists for the conference pages."""

from sqlalchemy import select

from app.auth.models import User
from app.auth.permissions import scope
from app.conferences.models import ConferenceSeries
from app.extensions import db


def list_series_for(user: User) -> list[ConferenceSeries]:
    """Series ``user`` may see, by title (the series rule as a filter: one query)."""
    query = select(ConferenceSeries).order_by(ConferenceSeries.title)
    return list(db.session.scalars(scope(user, query, ConferenceSeries)))
