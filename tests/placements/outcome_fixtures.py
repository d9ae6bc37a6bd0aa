"""A completed placement for the outcome tests, without the assessment helper's code: the
final Assessment row and logbook entries are written directly, then completion runs."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.placements import completion
from app.placements.models import Assessment, LogbookEntry, Stage


def log_day(placement, day: date, hours: list, submitted: bool = True) -> LogbookEntry:
    entry = LogbookEntry(
        placement_id=placement.id,
        day=day,
        activities=[{"kind": "ward_rounds", "hours": h} for h in hours],
        submitted_at=datetime(2030, 3, 20, tzinfo=UTC) if submitted else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def complete_placement(pw, placement, days_present: int = 12):
    """``placement`` assessed (final, ``days_present``) with 7.5 + 2 submitted logbook
    hours and a 5-hour draft, then completed by its supervisor."""
    log_day(placement, date(2030, 3, 3), [4, 3.5])
    log_day(placement, date(2030, 3, 4), ["2"])
    log_day(placement, date(2030, 3, 5), [5], submitted=False)  # a draft: not counted
    db.session.add(
        Assessment(
            placement_id=placement.id,
            stage=Stage.FINAL,
            days_present=days_present,
            assessor_id=pw.supervisor.id,
        )
    )
    db.session.flush()
    completion.complete(placement, pw.supervisor)
    db.session.commit()
    return placement


def notices(user, kind: str = "placement_outcome") -> list[dict]:
    """The params of ``user``'s notifications of ``kind``, oldest first."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.recipient_id == user.id, Notification.kind == kind)
        .order_by(Notification.id)
    )
    return [row.params for row in rows]


def english(pw) -> None:
    """Everyone reads English (the observer's own language is Russian)."""
    people = (pw.admin, pw.home_coordinator, pw.observer, pw.colleague, pw.host_coordinator,
              pw.supervisor, pw.stranger, pw.funder)  # fmt: skip
    for person in people:
        person.locale = "en"
    db.session.commit()


def signed_in(app, user):
    """A client signed in as ``user`` (several people take turns in one test)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client
