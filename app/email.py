"""Outgoing e-mail over SMTP (``MAIL_*`` settings), or to the log in development.

Messages are rendered from templates in the recipient's language, with a plain-text
body (read by every client, and on slow links) and an HTML alternative.
"""

import smtplib
import threading
import time
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale


def render_email(template: str, locale: str | None, **context) -> tuple[str, str, str]:
    """Render ``email/<template>.{subject,txt,html}`` in ``locale``; returns the three parts."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    return subject, text, html


def build_message(
    to: str, subject: str, text: str, html: str | None = None, attachments=()
) -> EmailMessage:
    """A MIME message from the configured sender; ``attachments`` are (filename,
    "type/subtype", bytes), e.g. an invitation's .ics."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="palliare")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, mime, data in attachments:
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def send_email(to: str, template: str, locale: str | None = None, **context) -> None:
    """Render and send one message; raises ``smtplib.SMTPException``/``OSError`` on failure."""
    subject, text, html = render_email(template, locale, **context)
    message = build_message(to, subject, text, html)
    if current_app.config["MAIL_BACKEND"] == "log":
        current_app.logger.info("E-mail (not sent, MAIL_BACKEND=log):\n%s", message)
        return
    _deliver(message)


def send_email_in_background(to: str, template: str, locale: str | None = None, **context):
    """Render now, deliver from a background thread: the response does not wait for (and
    its timing does not reveal) the mail server. A failure is logged."""
    subject, text, html = render_email(template, locale, **context)
    message = build_message(to, subject, text, html)
    if current_app.config["MAIL_BACKEND"] == "log":
        current_app.logger.info("E-mail (not sent, MAIL_BACKEND=log):\n%s", message)
        return
    app = current_app._get_current_object()
    threading.Thread(target=_deliver_logged, args=(app, message), daemon=True).start()


def render_batch(mails: list[tuple[str, str, str | None, dict]]) -> list[EmailMessage]:
    """Each ``(to, template, locale, context)`` as a message (``context["attachments"]``:
    files to attach), rendered in the recipient's language."""
    return [
        build_message(
            to, *render_email(template, locale, **context), context.get("attachments", ())
        )
        for to, template, locale, context in mails
    ]


def deliver_batch(messages: list[EmailMessage]) -> None:
    """Send rendered messages now, over one connection (commands such as reminders, whose
    process must not end before the mail is out)."""
    if not messages:
        return
    if current_app.config["MAIL_BACKEND"] == "log":
        for message in messages:
            current_app.logger.info("E-mail (not sent, MAIL_BACKEND=log):\n%s", message)
        return
    _deliver(*messages)


def send_batch_in_background(
    mails: list[tuple[str, str, str | None, dict]],
) -> threading.Thread | None:
    """Render every ``(to, template, locale, context)`` now and deliver them from one
    background thread over one SMTP connection (a cohort's invitations or reminders), at
    most ``MAIL_BATCH_RATE`` a second so that the mail server does not throttle us.
    Returns the thread (tests wait for it), or None when mail only goes to the log."""
    if not mails:
        return None
    messages = render_batch(mails)
    if current_app.config["MAIL_BACKEND"] == "log":
        for message in messages:
            current_app.logger.info("E-mail (not sent, MAIL_BACKEND=log):\n%s", message)
        return None
    app = current_app._get_current_object()
    thread = threading.Thread(target=_deliver_logged, args=(app, *messages), daemon=True)
    thread.start()
    return thread


def _deliver_logged(app, *messages: EmailMessage) -> None:
    with app.app_context():
        try:
            _deliver(*messages)
        except (smtplib.SMTPException, OSError):
            recipients = ", ".join(message["To"] for message in messages)
            app.logger.exception("E-mail to %s could not be sent", recipients)


def _deliver(*messages: EmailMessage) -> None:
    """Hand the messages to the SMTP server over one connection. In a batch, a message the
    server refuses is logged and the others still go (one bad address stops nobody)."""
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    pause = 1 / config["MAIL_BATCH_RATE"] if len(messages) > 1 else 0
    with smtp_class(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        if len(messages) == 1:
            smtp.send_message(messages[0])
            return
        for message in messages:
            try:
                smtp.send_message(message)
            except (
                smtplib.SMTPRecipientsRefused,
                smtplib.SMTPDataError,
                smtplib.SMTPSenderRefused,
            ):
                current_app.logger.exception("E-mail to %s was refused", message["To"])
            time.sleep(pause)
