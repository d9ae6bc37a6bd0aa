"""Receipts of forms sent with a ``submission_key`` (``app/outbox.py``): each (person,
key) is accepted once, and a repeat gets the first answer back (flush, never commit).

The key is claimed FIRST, in the transaction of the work it stands for, with one
statement: ``INSERT … ON CONFLICT (user_id, key) DO NOTHING RETURNING``. A new key comes
back as the new receipt. While a concurrent request holding the same key is still
working, the insert waits on the unique index (on SQLite the POST's transaction already
waited for the write lock at its BEGIN IMMEDIATE, app/sqlite.py); once that one commits
the insert does nothing and returns no row, and the existing receipt (read then, one more
statement) is the answer. If the work is refused the transaction rolls back and takes the
claim with it: sending the same form again is tried afresh.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from app.auth.models import User
from app.db_types import insert_with_on_conflict
from app.extensions import db
from app.learning.models import SubmissionReceipt
from app.learning.queries import get_receipt

KINDS = ("lesson", "attempt", "logbook")


@dataclass
class Claim:
    """The receipt of a key; ``duplicate`` when another request stored it first."""

    receipt: SubmissionReceipt
    duplicate: bool = False


def claim_receipt(user: User, key: str, kind: str) -> Claim:
    """Claim ``key`` for ``user``'s form of ``kind``; a key already claimed (now or by a
    concurrent request that committed meanwhile) is a duplicate with the first answer."""
    assert kind in KINDS, kind
    insert = insert_with_on_conflict(db.session.get_bind().dialect.name)
    # An ORM-enabled insert: RETURNING the entity puts the new receipt in the session as
    # a persistent object (no SELECT to load it), for settle_receipt to write on.
    receipt = db.session.scalar(
        insert(SubmissionReceipt)
        .values(user_id=user.id, key=key, kind=kind)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(SubmissionReceipt)
    )
    if receipt is None:  # no row inserted: claimed already, and committed
        return Claim(get_receipt(user.id, key), duplicate=True)
    return Claim(receipt)


def settle_receipt(claim: Claim, url: str, message) -> None:
    """Write down the answer a repeat of this key gets: where it went and what was said."""
    if claim.duplicate:
        return
    claim.receipt.url = url[:500]
    claim.receipt.message = str(message)
    db.session.flush()


def prune_receipts(now: datetime, days: int) -> int:
    """Delete receipts older than ``days``; returns how many. A device offline for longer
    than that is not expected (its outbox would be sent again as new)."""
    result = db.session.execute(
        delete(SubmissionReceipt)
        .where(SubmissionReceipt.created_at < now - timedelta(days=days))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
