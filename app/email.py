"""E-mail: rendering messages, and handing them to the mail server.

Messages are rendered from templates in the recipient's language, with a plain-text
body (read by every client, and on slow links) and an HTML alternative. Nothing here is
called by a request to send: requests queue messages in the outbox
(``app.notifications.outbox``), and its task delivers them through ``MailTransport``.
"""

import smtplib
import sys
import time
from email import encoders, message_from_bytes
from email.charset import QP, Charset
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP, compat32
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path

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
    to: str, subject: str, text: str, html: str | None, message_id: str, attachments=()
) -> bytes:
    """The message as sent, from the configured sender; ``attachments`` are (filename,
    "type/subtype", bytes), e.g. an invitation's .ics.

    Built with the classic ``email.mime`` classes: three times faster than
    ``EmailMessage``'s content manager, and this runs inside the request that queues it.
    The text is 8bit, not quoted-printable, so its links stay whole in the .eml copies."""
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(text, "plain", _charset_for(text)))
    if html:
        body.attach(MIMEText(html, "html", _charset_for(html)))
    message = body
    if attachments:
        message = MIMEMultipart("mixed")
        message.attach(body)
        for filename, mime, data in attachments:
            message.attach(_attachment(filename, mime, data))
    message["Subject"] = Header(subject, "utf-8").encode()
    message["From"] = _address(current_app.config["MAIL_DEFAULT_SENDER"])
    message["To"] = to
    message["Message-ID"] = message_id
    message["Date"] = formatdate(usegmt=True)
    return message.as_bytes(policy=SMTP_LINES)


# UTF-8 bodies sent as they are (8bit), as Django does, rather than in base64; a body
# with a line too long for SMTP (998 bytes) in quoted-printable.
UTF8_8BIT = Charset("utf-8")
UTF8_8BIT.body_encoding = None
UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP
SMTP_LINE = 998
# The classic policy, with the CRLF line ends that SMTP requires.
SMTP_LINES = compat32.clone(linesep="\r\n")


def _charset_for(body: str) -> Charset:
    longest = max((len(line.encode()) for line in body.splitlines()), default=0)
    return UTF8_8BIT if longest < SMTP_LINE else UTF8_QP


def _attachment(filename: str, mime: str, data: bytes) -> MIMEBase:
    part = MIMEBase(*mime.split("/", 1))
    part.set_payload(data)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _address(value: str) -> str:
    """``Name <address>`` with the name encoded when it is not ASCII."""
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8")


class PermanentFailure(Exception):
    """The mail server refused the message for good (5xx): sending again will not help."""


class TemporaryFailure(Exception):
    """The mail server could not take the message now (4xx): try again later."""


class ServerUnavailable(TemporaryFailure):
    """No connection to the mail server: the messages after this one wait too."""


class MailTransport:
    """One connection's worth of deliveries: ``with MailTransport() as mail: mail.send(…)``.

    ``MAIL_BACKEND=smtp`` hands messages to the SMTP server over one connection, opened at
    the first message; ``file`` only keeps the copy. With ``MAIL_COPY_DIR`` set
    (development), every message is also written there as an .eml file and printed.
    """

    def __init__(self):
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None
        self.pause = 1 / self.config["MAIL_BATCH_RATE"]
        self.last_sent = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()

    def send(self, raw: bytes, sender: str, recipient: str, name: str) -> None:
        """Deliver one message; raises ``PermanentFailure`` or ``TemporaryFailure``."""
        if self.config["MAIL_COPY_DIR"]:
            self._keep_copy(raw, name)
        if self.config["MAIL_BACKEND"] == "smtp":
            self._pace()
            self._send_smtp(raw, sender, recipient)

    def _pace(self) -> None:
        """At most ``MAIL_BATCH_RATE`` messages a second per connection, so that the mail
        server does not throttle us."""
        wait = self.last_sent + self.pause - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last_sent = time.monotonic()

    def _send_smtp(self, raw: bytes, sender: str, recipient: str) -> None:
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            options = ["BODY=8BITMIME"] if self.smtp.has_extn("8bitmime") else []
            self.smtp.sendmail(sender, [recipient], raw, mail_options=options)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _failure(code, reply) from error
        except smtplib.SMTPResponseException as error:
            self._drop_connection()
            raise _failure(error.smtp_code, error.smtp_error) from error
        except (smtplib.SMTPException, OSError) as error:
            self._drop_connection()
            raise ServerUnavailable(f"{type(error).__name__}: {error}") from error

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        )
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        return smtp

    def _drop_connection(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def _keep_copy(self, raw: bytes, name: str) -> None:
        """``MAIL_COPY_DIR/<name>.eml`` (written whole, then renamed), and the console."""
        folder = Path(self.config["MAIL_COPY_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.eml.part"
        partial.write_bytes(raw)
        partial.replace(folder / f"{name}.eml")
        print(f"\n--- e-mail written to {folder / name}.eml ---", file=sys.stderr)
        print(_readable(raw), file=sys.stderr)


def _readable(raw: bytes) -> str:
    """Headers and the plain-text body, as a person reads them on the console."""
    message = message_from_bytes(raw, policy=SMTP)
    body = message.get_body(preferencelist=("plain",))
    headers = "\n".join(f"{name}: {message[name]}" for name in ("To", "Subject"))
    return f"{headers}\n\n{body.get_content() if body else ''}"


def _failure(code: int, reply: bytes | str) -> Exception:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    error_class = PermanentFailure if 500 <= code < 600 else TemporaryFailure
    return error_class(f"{code} {text}")
