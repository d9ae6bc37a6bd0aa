"""Read-only lists of cases for the conference pages."""

from sqlalchemy import select

from app.auth.models import User
from app.cases.models import ConferenceCase
from app.conferences.models import ConferenceSeries
from app.extensions import db


def list_cases_of(user: User, series: ConferenceSeries) -> list[ConferenceCase]:
    """The cases ``user`` submitted to a series, newest first."""
    return list(
        db.session.scalars(
            select(ConferenceCase)
            .where(ConferenceCase.series_id == series.id, ConferenceCase.submitter_id == user.id)
            .order_by(ConferenceCase.created_at.desc())
        )
    )


def series_has_cases(series: ConferenceSeries) -> bool:
    """Whether any case was submitted to a session of the series."""
    submitted = select(ConferenceCase.series_id).where(ConferenceCase.series_id == series.id)
    return bool(db.session.scalar(submitted.limit(1)))
