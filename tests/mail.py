"""An in-process SMTP server (aiosmtpd) that keeps what it receives, for the tests."""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller


class _Collector:
    """Keeps what arrives. Like a real server, it refuses some recipients: addresses
    starting with ``refused`` for good (550), ``busy`` for now (451)."""

    def __init__(self, messages: list):
        self.messages = messages

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("busy"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    """Start and stop a real SMTP server on 127.0.0.1; ``messages`` lists what arrived."""

    host = "127.0.0.1"

    def __init__(self):
        self.port = _free_port()
        self.messages: list = []
        self._controller = Controller(_Collector(self.messages), hostname=self.host, port=self.port)

    def start(self):
        self._controller.start()

    def stop(self):
        self._controller.stop()


def body_text(message) -> str:
    """The plain-text part of a received message."""
    return message.get_body(preferencelist=("plain",)).get_content()


def wait_for_mail(mailbox: list, count: int = 1, seconds: float = 5.0) -> list:
    """The mailbox once ``count`` messages arrived (some mail is sent in the background)."""
    import time

    deadline = time.monotonic() + seconds
    while len(mailbox) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return mailbox
