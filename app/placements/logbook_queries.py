"""Reads of a placement's logbook: its entries (a day each, with their comments), the
weekly check-ins, and the submitted entries its hours and days are counted from."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.placements.models import CheckIn, LogbookComment, LogbookEntry, Placement


def get_entry(placement: Placement, day: date) -> LogbookEntry | None:
    """The placement's logbook entry for ``day``, if written (draft or submitted)."""
    return db.session.scalar(
        select(LogbookEntry).where(
            LogbookEntry.placement_id == placement.id, LogbookEntry.day == day
        )
    )


def client_key_taken(client_key: str) -> bool:
    """Whether an entry (of any placement) already carries ``client_key``."""
    return (
        db.session.scalar(select(LogbookEntry.id).where(LogbookEntry.client_key == client_key))
        is not None
    )


def list_entries(placement: Placement) -> list[LogbookEntry]:
    """Every entry of the placement by day, with its comments and their authors."""
    return list(
        db.session.scalars(
            select(LogbookEntry)
            .where(LogbookEntry.placement_id == placement.id)
            .options(selectinload(LogbookEntry.comments).joinedload(LogbookComment.author))
            .order_by(LogbookEntry.day)
        )
    )


def submitted_entries(placement: Placement) -> list[LogbookEntry]:
    """The placement's submitted entries (drafts left out), in no set order."""
    return list(
        db.session.scalars(
            select(LogbookEntry).where(
                LogbookEntry.placement_id == placement.id, LogbookEntry.submitted_at.is_not(None)
            )
        )
    )


def check_in_of_week(placement: Placement, week_starts_on: date) -> CheckIn | None:
    """The placement's check-in for the week starting on ``week_starts_on``, if written."""
    return db.session.scalar(
        select(CheckIn).where(
            CheckIn.placement_id == placement.id, CheckIn.week_starts_on == week_starts_on
        )
    )


def list_check_ins(placement: Placement) -> dict[date, CheckIn]:
    """The placement's check-ins by their week's first day, with who last wrote each."""
    rows = db.session.scalars(
        select(CheckIn)
        .where(CheckIn.placement_id == placement.id)
        .options(selectinload(CheckIn.updated_by))
    )
    return {row.week_starts_on: row for row in rows}
