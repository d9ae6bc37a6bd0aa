"""Reads about cases: the lists of the conference pages, a session's agenda and the
organisers' queue."""

from datetime import datetime

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


def agenda_for(series: ConferenceSeries, original_start: datetime) -> list[ConferenceCase]:
    """The accepted cases of one session, in order."""
    return list(
        db.session.scalars(
            select(ConferenceCase)
            .where(
                ConferenceCase.series_id == series.id,
                ConferenceCase.occurrence_start == original_start,
                ConferenceCase.status == "accepted",
            )
            .order_by(ConferenceCase.position)
        )
    )


def queue_for(series: ConferenceSeries) -> list[ConferenceCase]:
    """Cases waiting for the organisers' decision, oldest first."""
    return list(
        db.session.scalars(
            select(ConferenceCase)
            .where(ConferenceCase.series_id == series.id, ConferenceCase.status == "submitted")
            .order_by(ConferenceCase.created_at)
        )
    )


def lock_series(series_id: int) -> None:
    """Lock the series' row until the transaction ends, so that two organisers accepting
    cases at once count the same agenda (PostgreSQL; SQLite serialises writers)."""
    row = select(ConferenceSeries.id).where(ConferenceSeries.id == series_id)
    db.session.execute(row.with_for_update())
