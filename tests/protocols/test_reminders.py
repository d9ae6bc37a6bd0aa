"""A protocol past its latest published version's review-by date notifies its authors
once per date, whichever run (the daily task, the command, two workers) gets there."""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.protocols import reminders
from app.protocols.tasks import remind_due_reviews  # noqa: F401  (the periodic task exists)
from tests.factories import make_user
from tests.protocols.factories_translation import make_protocol, make_version

REVIEW_BY = date(2027, 1, 1)


def _told(user) -> list[dict]:
    rows = db.session.scalars(
        select(Notification).where(
            Notification.recipient_id == user.id, Notification.kind == reminders.KIND
        )
    )
    return [row.params for row in rows]


def _protocol():
    authors = [make_user(), make_user()]
    protocol = make_protocol(authors=authors)
    make_version(protocol, number=1, review_by=date(2026, 6, 1))
    make_version(protocol, number=2, review_by=REVIEW_BY, title="Pain at home v2")
    make_version(protocol, number=None, review_by=date(2020, 1, 1))  # a draft counts not
    db.session.commit()
    return protocol, authors


def test_authors_are_told_once_when_the_latest_version_is_past_its_review_by(db):
    protocol, authors = _protocol()
    assert reminders.remind_reviews(REVIEW_BY) == 0  # due on the day, past the day after
    assert reminders.remind_reviews(date(2027, 1, 2)) == 1
    assert reminders.remind_reviews(date(2027, 3, 1)) == 0
    for author in authors:
        assert _told(author) == [
            {"slug": protocol.slug, "title": "Pain at home v2", "review_on": "2027-01-01"}
        ]
    assert protocol.review_reminded_for == REVIEW_BY


def test_a_new_review_by_date_is_told_again(db):
    protocol, authors = _protocol()
    reminders.remind_reviews(date(2027, 1, 2))
    make_version(protocol, number=3, review_by=date(2028, 1, 1))
    db.session.commit()
    assert reminders.remind_reviews(date(2027, 6, 1)) == 0
    assert reminders.remind_reviews(date(2028, 1, 2)) == 1
    assert len(_told(authors[0])) == 2


def test_two_runs_claiming_the_same_date_tell_once(db):
    protocol, authors = _protocol()
    assert reminders.remind_review(protocol.id, REVIEW_BY) is True
    assert reminders.remind_review(protocol.id, REVIEW_BY) is False  # the other worker's
    db.session.commit()
    assert len(_told(authors[0])) == 1


def test_the_command_tells_the_authors(app, db):
    _protocol()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["protocols", "remind-reviews", "--today", "2027-01-02"])
    assert result.exit_code == 0 and "1 protocol(s)" in result.output
    again = runner.invoke(args=["protocols", "remind-reviews", "--today", "2027-01-02"])
    assert "0 protocol(s)" in again.output
