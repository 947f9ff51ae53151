"""Outgoing e-mail: SMTP when configured, otherwise the console plus a development outbox.

The development outbox lives in this process's memory only (it is for ``reclaim demo``), so no
address is ever written to the database outside the vault.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from app.settings import Settings

log = logging.getLogger("reclaim.mail")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    sent_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


def _message(settings: Settings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain="reclaim.invalid")
    message.set_content(mail.body)
    return message


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, mail: Mail) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host or "localhost", s.smtp_port, timeout=15) as smtp:
            smtp.ehlo()
            if s.smtp_starttls and smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if s.smtp_username and s.smtp_password:
                smtp.login(s.smtp_username, s.smtp_password.get_secret_value())
            smtp.send_message(_message(s, mail))


class DevOutbox:
    """Console mailer that also keeps the last messages for the dev-only outbox page."""

    def __init__(self, settings: Settings, *, keep: int = 200) -> None:
        self.settings = settings
        self.messages: deque[Mail] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def send(self, mail: Mail) -> None:
        with self._lock:
            self.messages.appendleft(mail)
        print(  # noqa: T201 - the console is this mailer's output
            f"\n--- e-mail (development outbox) ---\nSubject: {mail.subject}\n\n{mail.body}\n"
            "--- end of e-mail ---\n",
            flush=True,
        )


def make_mailer(settings: Settings) -> Mailer:
    """SMTP when a server is configured, otherwise the console and the development outbox."""
    return SmtpMailer(settings) if settings.smtp_host else DevOutbox(settings)
