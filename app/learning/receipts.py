"""Receipts of forms sent with a ``submission_key`` (``app/outbox.py``): each (person,
key) is accepted once, and a repeat gets the first answer back (flush, never commit).

The key is claimed FIRST, in the transaction of the work it stands for: the insert waits
on the unique index while a concurrent request holding the same key is still working,
then fails once that one commits, and the existing receipt is the answer. If the work is
refused the transaction rolls back and takes the claim with it: sending the same form
again is tried afresh.
"""

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from app.auth.models import User
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
    existing = get_receipt(user.id, key)
    if existing is not None:
        return Claim(existing, duplicate=True)
    receipt = SubmissionReceipt(user_id=user.id, key=key, kind=kind)
    try:
        with db.session.begin_nested():  # a failed insert leaves the request's work intact
            db.session.add(receipt)
    except IntegrityError:
        return Claim(get_receipt(user.id, key), duplicate=True)
    return Claim(receipt)


def settle_receipt(claim: Claim, url: str, message) -> None:
    """Write down the answer a repeat of this key gets: where it went and what was said."""
    if claim.duplicate:
        return
    claim.receipt.url = url[:500]
    claim.receipt.message = str(message)
    db.session.flush()
