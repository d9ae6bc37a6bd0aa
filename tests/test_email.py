"""E-mail: sent over SMTP in the recipient's language, or written to the log."""

import logging

from app.email import send_email
from tests.factories import make_user
from tests.mail import body_text


def test_mail_arrives_over_smtp_in_the_recipients_language(app, mailbox):
    user = make_user(locale="ru")
    with app.test_request_context():
        send_email(user.email, "reset_password", "ru", user=user, link="http://x/reset/abc")
    [message] = mailbox
    assert message["To"] == user.email
    assert "Palliare" in message["Subject"] and message["Subject"].isascii() is False
    assert "http://x/reset/abc" in body_text(message)
    assert message.get_body(preferencelist=("html",)) is not None


def test_log_backend_prints_instead_of_sending(app, mailbox, caplog):
    user = make_user()
    app.config["MAIL_BACKEND"] = "log"
    try:
        with app.test_request_context(), caplog.at_level(logging.INFO):
            send_email(user.email, "reset_password", None, user=user, link="http://x/r")
    finally:
        app.config["MAIL_BACKEND"] = "smtp"
    assert mailbox == []
    assert "http://x/r" in caplog.text
