"""A real SMTP server for the tests (aiosmtpd), and what it received, parsed as a mail client
would read it.

`MailServer` listens on 127.0.0.1 on a port of its own and keeps every message it accepts;
`stop()` closes the port (a mail server that is down refuses connections), `start()` opens
it again on the same port. The `mail_server` fixture (tests/notifications/conftest.py)
points Django's SMTP backend at it."""

import email
import socket
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on now. aiosmtpd's controller cannot listen on port 0 (it
    connects to its own port to start), so the port is chosen before it starts."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One message as it arrived: the envelope's recipients and the parsed message."""

    recipients: tuple[str, ...]
    message: EmailMessage
    raw: bytes

    def header(self, name: str) -> str | None:
        """The header's value as a mail client reads it: unfolded, and without the
        whitespace around it (Django folds a long value onto the next line, after a space)."""
        value = self.message[name]
        return None if value is None else str(value).strip()

    def part(self, content_type: str) -> str:
        """The decoded text of the one part of this type (fails when there is not one)."""
        [found] = [
            part.get_content()
            for part in self.message.walk()
            if part.get_content_type() == content_type
        ]
        return found

    @property
    def text(self) -> str:
        return self.part("text/plain")

    @property
    def html(self) -> str:
        return self.part("text/html")


class _Collector:
    """aiosmtpd's handler: accepts every message and keeps it."""

    def __init__(self):
        self.received: list[Received] = []

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=policy.default)
        self.received.append(Received(tuple(envelope.rcpt_tos), message, raw))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self):
        self.port = free_port()
        self._collector = _Collector()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self._collector.received

    def to(self, address: str) -> list[Received]:
        """The messages sent to ``address``, in the order they arrived."""
        return [found for found in self.received if address in found.recipients]

    def start(self) -> None:
        # A stopped controller has closed its event loop, so each start makes a new one.
        self._controller = Controller(self._collector, hostname=HOST, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def forged(token: str) -> str:
    """A signed token (`django.core.signing`) with its payload kept and its signature
    replaced: what someone without the secret key could make."""
    payload, signature = token.rsplit(":", 1)
    return f"{payload}:{'A' * len(signature)}"
