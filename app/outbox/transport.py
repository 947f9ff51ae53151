"""Handing rendered mail to the outside world: an SMTP server, or in development the console.

A transport opens one connection for a batch (``connect``) and sends each message over it; a
server that drops the connection mid-batch is reconnected for the next message.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, formatdate, parseaddr
from functools import lru_cache
from typing import Protocol

from app.settings import Settings

log = logging.getLogger("reclaim.mail")


@dataclass(frozen=True)
class Mail:
    """One rendered e-mail, ready to hand over."""

    to: str
    subject: str
    body: str
    message_id: str  # the header's value, <…@…>: the same for every attempt
    # An e-mail the person chose to get stops with one click (RFC 8058): List-Unsubscribe and
    # List-Unsubscribe-Post headers with this address, which also appears in the body.
    unsubscribe_url: str | None = None


def sender_domain(settings: Settings) -> str:
    address = parseaddr(settings.mail_from)[1]
    return address.rpartition("@")[2] or "reclaim.invalid"


def message_id_header(message_id: str, settings: Settings) -> str:
    return f"<{message_id}@{sender_domain(settings)}>"


_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # readable in the raw message, unlike base64


def _text(value: str, name: str) -> str:
    """A header's text, encoded (RFC 2047) only when it is not plain ASCII."""
    return value if value.isascii() else Header(value, "utf-8", header_name=name).encode()


@lru_cache(maxsize=8)
def _sender(mail_from: str) -> str:
    """The From header (the same for every message: worked out once)."""
    return formataddr(parseaddr(mail_from), charset="utf-8")


def build_email(mail: Mail, settings: Settings) -> Message:
    """A plain-text message. Built with the email package's classic API, which is several
    times faster than ``EmailMessage`` (it parses no header it is given): this runs for every
    message a worker sends."""
    message = MIMENonMultipart("text", "plain")
    message.set_payload(mail.body, "us-ascii" if mail.body.isascii() else _UTF8)
    message["From"] = _sender(settings.mail_from)
    message["To"] = mail.to
    message["Subject"] = _text(mail.subject, "Subject")
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


class TransportUnavailable(Exception):
    """The mail server cannot be reached at all: nothing in this batch can be sent now."""


class Connection(Protocol):
    def send(self, mail: Mail) -> None: ...


class Transport(Protocol):
    def connect(self) -> AbstractContextManager[Connection]: ...


class SmtpConnection:
    """One SMTP session, reopened if the server drops it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host or "localhost", s.smtp_port, timeout=s.smtp_timeout_seconds)
        try:
            smtp.ehlo()
            if s.smtp_starttls and smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if s.smtp_username and s.smtp_password:
                smtp.login(s.smtp_username, s.smtp_password.get_secret_value())
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            try:
                self._smtp = self._open()
            except (smtplib.SMTPException, OSError) as error:
                raise TransportUnavailable(f"{type(error).__name__}: {error}") from error
        return self._smtp

    def send(self, mail: Mail) -> None:
        message = build_email(mail, self.settings)
        reused = self._smtp is not None
        try:
            self._connection().send_message(message)
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise
            # The server had closed the connection we kept (an idle time-out, or a limit of
            # messages per connection): the message did not go; once more on a new one.
            self._connection().send_message(message)
        except OSError:
            self.close()  # reconnect for the next message
            raise

    def close(self) -> None:
        if self._smtp is None:
            return
        smtp, self._smtp = self._smtp, None
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


class SmtpTransport:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @contextmanager
    def connect(self) -> Iterator[SmtpConnection]:
        connection = SmtpConnection(self.settings)
        try:
            yield connection
        finally:
            connection.close()


class ConsoleConnection:
    def send(self, mail: Mail) -> None:
        print(  # noqa: T201 - the console is this transport's output
            f"\n--- e-mail (development outbox) ---\nSubject: {mail.subject}\n\n{mail.body}\n"
            "--- end of e-mail ---\n",
            flush=True,
        )


class ConsoleTransport:
    """Development: messages go to the console (and stay visible at /dev/outbox)."""

    @contextmanager
    def connect(self) -> Iterator[ConsoleConnection]:
        yield ConsoleConnection()


def make_transport(settings: Settings) -> SmtpTransport | ConsoleTransport:
    """SMTP when a server is configured, otherwise the console."""
    return SmtpTransport(settings) if settings.smtp_host else ConsoleTransport()
