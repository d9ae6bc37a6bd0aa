"""claim_receipt: one INSERT … ON CONFLICT DO NOTHING claims a new key; a key claimed
already is a duplicate carrying the first answer; a refused piece of work takes its claim
with it when it rolls back. (Two connections at once: tests/live/test_concurrent_receipts.py.)"""

from sqlalchemy import event, func, select

from app.extensions import db
from app.learning.models import SubmissionReceipt
from app.learning.receipts import claim_receipt, settle_receipt
from tests.factories import make_user


def _statements(action) -> list[str]:
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return statements


def test_a_new_key_is_claimed_with_one_statement(app):
    user = make_user()
    db.session.connection()  # the session's transaction begun (here: its SAVEPOINT)
    claims = []
    statements = _statements(lambda: claims.append(claim_receipt(user, "k-new", "lesson")))
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("INSERT")
    claim = claims[0]
    assert not claim.duplicate and claim.receipt.id is not None
    assert (claim.receipt.user_id, claim.receipt.key, claim.receipt.kind) == (
        user.id,
        "k-new",
        "lesson",
    )
    assert claim.receipt.created_at is not None
    assert claim.receipt in db.session  # the session's own object: settle_receipt writes it
    settle_receipt(claim, "/courses/c", "Lesson marked as complete.")
    db.session.expire(claim.receipt)
    assert (claim.receipt.url, claim.receipt.message) == (
        "/courses/c",
        "Lesson marked as complete.",
    )


def test_the_same_key_again_is_a_duplicate_with_the_first_answer(app):
    user, other = make_user(), make_user()
    db.session.flush()
    first = claim_receipt(user, "k-twice", "attempt")
    settle_receipt(first, "/attempts/1", "Your answers were sent and scored.")
    db.session.commit()
    again = claim_receipt(user, "k-twice", "attempt")
    assert again.duplicate and again.receipt.id == first.receipt.id
    assert (again.receipt.url, again.receipt.message) == (
        "/attempts/1",
        "Your answers were sent and scored.",
    )
    settle_receipt(again, "/elsewhere", "ignored")  # a duplicate is never rewritten
    assert again.receipt.url == "/attempts/1"
    assert not claim_receipt(other, "k-twice", "attempt").duplicate  # each person's own keys


def test_refused_work_rolls_its_claim_back_and_the_key_is_claimed_afresh(app):
    user = make_user()
    db.session.commit()
    refused = claim_receipt(user, "k-refused", "logbook")
    assert not refused.duplicate
    db.session.rollback()  # the work was refused: the claim goes with it
    count = select(func.count()).select_from(SubmissionReceipt)
    assert db.session.scalar(count.where(SubmissionReceipt.key == "k-refused")) == 0
    afresh = claim_receipt(user, "k-refused", "logbook")
    assert not afresh.duplicate
    assert db.session.scalar(count.where(SubmissionReceipt.key == "k-refused")) == 1
