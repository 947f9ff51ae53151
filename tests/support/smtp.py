"""A real SMTP server for tests that keeps every message it receives.

``running_smtp()`` starts an aiosmtpd server on 127.0.0.1 on a free port and yields an
``SmtpSink``: point the app's SMTP settings at ``sink.host``/``sink.port`` and read
``sink.messages`` (``email.message.EmailMessage`` objects parsed with ``policy.default``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.support import free_port


@dataclass
class ReceivedMessage:
    """What the server saw for one message: the envelope as well as the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class _Collector:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        self.sink._add(
            ReceivedMessage(
                mail_from=envelope.mail_from or "",
                rcpt_tos=list(envelope.rcpt_tos),
                message=message,
            )
        )
        return "250 Message accepted for delivery"


@dataclass
class SmtpSink:
    """A running SMTP server and everything it has received so far."""

    host: str
    port: int
    received: list[ReceivedMessage] = field(default_factory=list)
    _condition: threading.Condition = field(default_factory=threading.Condition, repr=False)

    @property
    def messages(self) -> list[EmailMessage]:
        """The received messages, oldest first."""
        with self._condition:
            return [item.message for item in self.received]

    def _add(self, item: ReceivedMessage) -> None:
        with self._condition:
            self.received.append(item)
            self._condition.notify_all()

    def clear(self) -> None:
        with self._condition:
            self.received.clear()

    def wait_for(
        self, predicate: Callable[[EmailMessage], bool] | None = None, timeout: float = 5
    ) -> EmailMessage:
        """The first received message matching ``predicate`` (any message if None), waiting up to
        ``timeout`` seconds for it; raises ``TimeoutError`` if none arrives."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                for item in self.received:
                    if predicate is None or predicate(item.message):
                        return item.message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    subjects = [item.message.get("Subject") for item in self.received]
                    raise TimeoutError(
                        f"no matching e-mail within {timeout}s; received subjects: {subjects}"
                    )
                self._condition.wait(remaining)

    def messages_to(self, address: str) -> list[EmailMessage]:
        """Received messages whose envelope recipients include ``address`` (case-insensitive)."""
        wanted = address.lower()
        with self._condition:
            return [
                item.message
                for item in self.received
                if wanted in (rcpt.lower() for rcpt in item.rcpt_tos)
            ]


def body_text(message: EmailMessage) -> str:
    """The plain-text body of a message (or its HTML body when it has no plain text)."""
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


@contextmanager
def running_smtp(host: str = "127.0.0.1") -> Iterator[SmtpSink]:
    """Start an SMTP sink on ``host`` and a free port; stop it afterwards."""
    sink = SmtpSink(host=host, port=free_port(host))
    controller = Controller(
        _Collector(sink), hostname=host, port=sink.port, ready_timeout=10, decode_data=False
    )
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
