"""The e-mail outbox: written with the change that causes it, delivered after the commit
by a task, retried, refused, swept after a crash, never sent twice."""

from datetime import timedelta

import pytest

from app.db_types import utcnow
from app.extensions import db
from app.notifications import outbox, queries
from app.notifications.models import OutboxMessage
from app.notifications.tasks import deliver, sweep
from app.tasks import huey
from tests.factories import make_user
from tests.mail import body_text
from tests.tasks import run_queued_tasks


def _queue(app, to, **context):
    with app.test_request_context():
        return outbox.queue_email(
            to, "reset_password", context.pop("locale", None), link="http://x/reset/abc",
            user=context.pop("user", None), **context,
        )  # fmt: skip


def test_a_message_is_sent_after_the_commit_in_the_recipients_language(app, mailbox):
    user = make_user(locale="ru")
    message = _queue(app, user.email, user=user, locale="ru")
    assert huey.pending_count() == 0  # nothing leaves before the commit
    db.session.commit()
    assert run_queued_tasks() == 1
    [received] = mailbox
    assert received["To"] == user.email and not received["Subject"].isascii()
    assert received["Message-ID"] == message.message_id  # fixed by the row
    assert "http://x/reset/abc" in body_text(received)
    assert received.get_body(preferencelist=("html",)) is not None
    assert message.status == "sent" and message.sent_at is not None and message.attempts == 1


def test_a_rolled_back_change_sends_nothing(app, mailbox):
    _queue(app, "someone@example.org")
    db.session.rollback()
    assert run_queued_tasks() == 0 and mailbox == []
    assert db.session.query(OutboxMessage).count() == 0


def test_a_permanent_refusal_is_recorded_and_the_rest_of_the_batch_goes(app, mailbox):
    with app.test_request_context():
        rows = outbox.queue_emails(
            [
                outbox.Mail(address, "reset_password", None, {"link": "http://x/r", "user": None})
                for address in ("one@example.org", "refused@example.org", "two@example.org")
            ],
            reference="batch:1",
        )
    db.session.commit()
    run_queued_tasks()
    assert sorted(m["To"] for m in mailbox) == ["one@example.org", "two@example.org"]
    assert [r.status for r in rows] == ["sent", "failed", "sent"]
    assert rows[1].last_error.startswith("550")
    assert queries.count_by_status("batch:1") == {"sent": 2, "failed": 1}
    assert [m.recipient for m in queries.list_failed("batch:1")] == ["refused@example.org"]


def test_a_temporary_refusal_is_retried_with_back_off_then_given_up(app, mailbox):
    message = _queue(app, "busy@example.org")
    db.session.commit()
    run_queued_tasks()
    assert message.status == "queued" and message.attempts == 1
    assert message.last_error.startswith("451")
    first_wait = message.next_attempt_at - utcnow()
    assert timedelta(seconds=50) < first_wait <= timedelta(minutes=1)
    assert huey.scheduled_count() == 1  # the retry, at the back-off's end

    for _ in range(outbox.MAX_ATTEMPTS - 1):
        message.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        deliver.call_local([message.id])
    assert message.status == "failed" and message.attempts == outbox.MAX_ATTEMPTS
    assert mailbox == []


def test_a_message_claimed_by_a_consumer_that_died_is_sent_once_by_another(app, mailbox):
    message = _queue(app, "learner@example.org")
    db.session.commit()
    huey.flush()  # the task was lost with the consumer that held it
    assert outbox.claim([message.id], utcnow()) == [message.id]  # …which had claimed it
    db.session.commit()
    assert outbox.claim([message.id], utcnow()) == []  # nobody else takes it meanwhile
    assert sweep(utcnow()) == 0  # the lease still runs

    assert sweep(utcnow() + timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1)) == 1
    run_queued_tasks()
    assert len(mailbox) == 1 and message.status == "sent"
    deliver.call_local([message.id])  # a late duplicate task changes nothing
    assert sweep(utcnow() + timedelta(hours=1)) == 0
    assert len(mailbox) == 1


def test_the_sweeper_queues_what_a_lost_task_never_delivered(app, mailbox):
    message = _queue(app, "learner@example.org")
    db.session.commit()
    huey.flush()  # e.g. Redis was down when the request tried to queue it
    assert sweep(utcnow()) == 0  # within the grace period its task may still come
    assert sweep(utcnow() + timedelta(minutes=2)) == 1
    run_queued_tasks()
    assert len(mailbox) == 1 and message.status == "sent"


def test_a_queue_store_that_is_down_fails_no_request(app, client, mailbox, monkeypatch):
    def store_down(task):
        raise ConnectionError("Redis is down")

    user = make_user()
    monkeypatch.setattr(huey, "enqueue", store_down)
    response = client.post("/password/forgot", data={"email": user.email}, follow_redirects=False)
    assert response.status_code in (302, 400)
    monkeypatch.undo()


def test_development_copies_are_eml_files_with_absolute_links(app, mailbox, tmp_path):
    app.config.update(MAIL_COPY_DIR=str(tmp_path), MAIL_BACKEND="file")
    try:
        user = make_user()
        with app.test_request_context():
            from flask import url_for

            link = url_for("auth.reset_password", token="abc", _external=True)
            outbox.queue_email(user.email, "reset_password", None, user=user, link=link)
        db.session.commit()
        run_queued_tasks()
    finally:
        app.config.update(MAIL_COPY_DIR=None, MAIL_BACKEND="smtp")
    assert mailbox == []  # the file backend does not send
    [copy] = tmp_path.glob("*.eml")
    assert "reset_password" in copy.name
    assert b"http://palliare.test/password/reset/abc" in copy.read_bytes()


@pytest.mark.parametrize("status", ["queued", "sent", "failed"])
def test_statuses_by_reference_reports_the_latest_message(app, status):
    first = _queue(app, "a@example.org", reference="invitation:9")
    second = _queue(app, "a@example.org", reference="invitation:9")
    first.status, second.status = "failed", status
    db.session.commit()
    assert queries.statuses_by_reference(["invitation:9", "invitation:10"]) == {
        "invitation:9": status
    }


def test_a_consumer_whose_lease_ran_out_does_not_send_what_another_now_holds(app, mailbox):
    message = _queue(app, "learner@example.org")
    db.session.commit()
    huey.flush()
    assert outbox.claim([message.id], utcnow()) == [message.id]
    db.session.commit()
    db.session.refresh(message)  # the first consumer's view of its claim: attempt 1
    assert outbox.renew_lease(message, utcnow())  # still ours

    later = utcnow() + timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1)
    outbox.release_expired_leases(later)  # a slow mail server: the lease ran out…
    assert outbox.claim([message.id], utcnow()) == [message.id]  # …another consumer took it
    db.session.commit()
    assert message.attempts == 1 and not outbox.renew_lease(message, utcnow())
