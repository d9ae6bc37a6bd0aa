"""Telling a protocol's authors that its latest published version is past its review-by
date: once per date (``Protocol.review_reminded_for``), claimed by a conditional update in
the transaction that writes the notifications, so two runs never tell twice."""

from datetime import date

from sqlalchemy import or_, update

from app.extensions import db
from app.notifications.services import notify
from app.protocols import adoption_queries as queries
from app.protocols.models import Protocol

KIND = "protocol_review_due"


def remind_reviews(today: date) -> int:
    """Tell the authors of every protocol due for review by ``today`` (committing one by
    one); returns how many protocols this run told about."""
    told = 0
    for protocol_id, review_by in queries.due_review_ids(today):
        if remind_review(protocol_id, review_by):
            told += 1
        db.session.commit()
    return told


def remind_review(protocol_id: int, review_by: date) -> bool:
    """Claim the reminder of ``review_by`` and tell the authors; False when another run
    claimed it first."""
    claimed = db.session.execute(
        update(Protocol)
        .where(
            Protocol.id == protocol_id,
            or_(Protocol.review_reminded_for.is_(None), Protocol.review_reminded_for != review_by),
        )
        .values(review_reminded_for=review_by)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    protocol = db.session.get(Protocol, protocol_id)
    db.session.refresh(protocol)
    version = queries.latest_published(protocol.id)
    for author in protocol.authors:
        if author.is_active:
            notify(
                author,
                KIND,
                slug=protocol.slug,
                title=version.title if version else protocol.slug,
                review_on=review_by.isoformat(),
            )
    return True
