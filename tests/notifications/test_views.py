"""The administrators' queue page, sending a failed message again, and the development
page of written e-mails; each from the wrong side too."""

import pytest

from app.auth.models import Role
from app.extensions import db
from app.notifications import outbox
from app.tasks import huey
from tests.factories import make_user
from tests.helpers import csrf_token, text_of


def _failed_message(app, to="colleague@example.org"):
    with app.test_request_context():
        message = outbox.queue_email(to, "reset_password", None, user=None, link="http://x/r")
    outbox.mark_failed(message, "550 5.1.1 No such mailbox")
    db.session.commit()
    huey.flush()
    return message


def test_the_queue_page_shows_waiting_and_failed_mail_and_sends_a_failure_again(
    app, client, login, mailbox
):
    message = _failed_message(app)
    login(make_user(roles=[Role.ADMIN]))
    page = text_of(client.get("/admin/queue"))
    assert "colleague@example.org" in page and "550 5.1.1 No such mailbox" in page
    assert "Tasks waiting" in page and "memory" in page

    token = csrf_token(client, "/admin/queue")
    response = client.post(f"/admin/queue/messages/{message.id}/retry", data={"csrf_token": token})
    assert response.status_code == 303
    assert [m["To"] for m in mailbox] == ["colleague@example.org"]  # the task ran
    assert message.status == "sent" and message.attempts == 1


def test_a_message_that_did_not_fail_is_not_sent_again(app, client, login, mailbox):
    with app.test_request_context():
        message = outbox.queue_email("a@example.org", "reset_password", None, user=None, link="x")
    db.session.commit()
    huey.flush()
    login(make_user(roles=[Role.ADMIN]))
    token = csrf_token(client, "/admin/queue")
    response = client.post(f"/admin/queue/messages/{message.id}/retry", data={"csrf_token": token})
    assert response.status_code == 303 and mailbox == []
    assert "Only a failed message" in text_of(client.get("/admin/queue"))


def test_the_queue_page_works_while_the_queue_store_is_down(app, client, login, monkeypatch):
    def down():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(huey, "pending_count", down)
    login(make_user(roles=[Role.ADMIN]))
    response = client.get("/admin/queue")
    assert response.status_code == 200 and "cannot be reached" in text_of(response)


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TRAINER, Role.COORDINATOR, Role.TRANSLATOR])
def test_only_administrators_see_the_queue(app, client, login, role):
    message = _failed_message(app)
    login(make_user(roles=[role]))
    assert client.get("/admin/queue").status_code == 403
    assert client.post(f"/admin/queue/messages/{message.id}/retry").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(app, client):
    response = client.get("/admin/queue")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_development_page_lists_written_mail_with_clickable_links(app, client, login, tmp_path):
    app.config.update(DEVELOPMENT=True, MAIL_COPY_DIR=str(tmp_path), MAIL_BACKEND="file")
    try:
        login(make_user(roles=[Role.ADMIN]))
        user = make_user(email="newcomer@example.org")
        token = csrf_token(client, "/password/forgot")
        client.post("/password/forgot", data={"email": user.email, "csrf_token": token})
        assert len(list(tmp_path.glob("*.eml"))) == 1
        response = client.get("/admin/dev/mail")
        html = response.get_data(as_text=True)
    finally:
        app.config.update(DEVELOPMENT=False, MAIL_COPY_DIR=None, MAIL_BACKEND="smtp")
    assert response.status_code == 200 and "newcomer@example.org" in html
    assert '<a href="http://palliare.test/password/reset/' in html
    assert client.get("/admin/dev/mail").status_code == 404  # not outside development
