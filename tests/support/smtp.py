"""A real SMTP server for tests that keeps every message it receives.

``running_smtp()`` starts an aiosmtpd server on 127.0.0.1 on a free port (or the ``port``
given, to bring a server "back up" where the site expects it) and yields an ``SmtpSink``: point
the app's SMTP settings at ``sink.host``/``sink.port`` and read ``sink.messages``
(``email.message.EmailMessage`` objects parsed with ``policy.default``).

A sink can misbehave on purpose: ``sink.refuse`` (a function of the number of messages
accepted so far and of the message's recipients, returning an SMTP reply such as
``"451 4.3.0 Try again later"`` or None to accept) and ``sink.delay`` (seconds to wait before answering each message). Each received
message records the client's address and port (``peer``): one per SMTP connection.
"""

from __future__ import annotations

import asyncio
import re
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
    """What the server saw for one message: the envelope as well as the message, parsed when
    first read (parsing every one of thousands as it arrives would slow the server down)."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    peer: tuple[str, int] | None = None
    _parsed: EmailMessage | None = field(default=None, repr=False)

    @property
    def message(self) -> EmailMessage:
        if self._parsed is None:
            parsed = BytesParser(policy=policy.default).parsebytes(self.raw)
            assert isinstance(parsed, EmailMessage)
            self._parsed = parsed
        return self._parsed

    @property
    def message_id(self) -> str:
        """The Message-ID header, read without parsing the whole message."""
        match = _MESSAGE_ID.search(self.raw.split(b"\r\n\r\n", 1)[0])
        return match.group(1).decode() if match else ""


_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]*>)", re.IGNORECASE | re.MULTILINE)


class _Collector:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        if self.sink.refuse is not None:
            reply = self.sink.refuse(self.sink.accepted, list(envelope.rcpt_tos))
            if reply:
                with self.sink._condition:
                    self.sink.refused += 1
                return reply
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        self.sink._add(
            ReceivedMessage(
                mail_from=envelope.mail_from or "",
                rcpt_tos=list(envelope.rcpt_tos),
                raw=raw,
                peer=tuple(session.peer) if session.peer else None,
            )
        )
        return "250 Message accepted for delivery"


@dataclass
class SmtpSink:
    """A running SMTP server and everything it has received so far."""

    host: str
    port: int
    received: list[ReceivedMessage] = field(default_factory=list)
    refuse: Callable[[int, list[str]], str | None] | None = None
    delay: float = 0
    refused: int = 0
    _condition: threading.Condition = field(default_factory=threading.Condition, repr=False)

    @property
    def accepted(self) -> int:
        with self._condition:
            return len(self.received)

    @property
    def connections(self) -> int:
        """How many SMTP connections delivered at least one message."""
        with self._condition:
            return len({item.peer for item in self.received})

    def message_ids(self) -> list[str]:
        """The Message-ID of every received message, in arrival order (repeats included)."""
        with self._condition:
            return [item.message_id for item in self.received]

    def wait_until(self, condition: Callable[[SmtpSink], bool], timeout: float = 10) -> None:
        """Wait until ``condition(sink)`` holds; raise ``TimeoutError`` after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while not condition(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"not within {timeout}s: {len(self.received)} received, "
                        f"{self.refused} refused"
                    )
                self._condition.wait(min(remaining, 0.2))

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
def running_smtp(host: str = "127.0.0.1", port: int | None = None) -> Iterator[SmtpSink]:
    """Start an SMTP sink on ``host`` and ``port`` (default: a free one); stop it afterwards."""
    sink = SmtpSink(host=host, port=port or free_port(host))
    controller = Controller(
        _Collector(sink), hostname=host, port=sink.port, ready_timeout=10, decode_data=False
    )
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
