"""Delivering due mail: claim a batch, render it, send it over one connection, record each
result.

Claiming is one ``UPDATE … WHERE id IN (SELECT … LIMIT n)`` that sets a lease. On PostgreSQL
the inner ``SELECT`` locks the rows it picks ``FOR UPDATE SKIP LOCKED``, so workers claiming at
the same moment take different messages instead of waiting for each other; SQLite has one
writer at a time, so the same statement is already atomic there. A worker that dies leaves its
lease to expire, and another worker takes the messages over. Each message keeps its
Message-ID across attempts, so one sent twice after a crash can be recognised.
"""

from __future__ import annotations

import logging
import re
import smtplib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Engine,
    and_,
    bindparam,
    func,
    or_,
    update,
)
from sqlalchemy.sql import Executable
from sqlmodel import Session, col, select

from app.identity.vault import service as vault
from app.outbox.backoff import retry_delay
from app.outbox.models import MessageState, OutboxMessage
from app.outbox.queue import Template, claim_picked
from app.outbox.render import Envelope, MailRenderer, NotSent
from app.outbox.transport import Mail, Transport, TransportUnavailable
from app.settings import Settings
from kernel.clock import utcnow

log = logging.getLogger("reclaim.outbox")

RETRY_CAP = timedelta(hours=1)
RETRY_CAP_SIGN_IN = timedelta(seconds=30)  # a link lasts minutes: keep trying often
_ADDRESS = re.compile(r"[^\s<>()\[\]'\",;:]+@[^\s<>()\[\]'\",;:]+")


@dataclass(frozen=True)
class Claimed:
    id: int
    attempts: int  # attempts before this one
    envelope: Envelope


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        col(OutboxMessage.state) == MessageState.queued,
        col(OutboxMessage.next_attempt_at) <= now,
        or_(
            col(OutboxMessage.lease_expires_at).is_(None),
            col(OutboxMessage.lease_expires_at) < now,
        ),
    )


def claim_messages(
    session: Session, *, owner: str, now: datetime, lease: timedelta, limit: int
) -> list[Claimed]:
    """Lease up to ``limit`` due messages to ``owner`` (most urgent first). The caller commits
    before sending, so that other workers see the lease."""
    pick = (
        select(OutboxMessage.id)
        .where(_due(now))
        .order_by(
            col(OutboxMessage.priority), col(OutboxMessage.next_attempt_at), col(OutboxMessage.id)
        )
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite needs no lock (one writer)
    )
    m = OutboxMessage
    rows = claim_picked(
        session,
        OutboxMessage,
        pick,
        values={"lease_owner": owner, "lease_expires_at": now + lease},
        returning=(
            col(m.id),
            col(m.attempts),
            col(m.priority),
            col(m.message_id),
            col(m.template),
            col(m.params),
            col(m.recipient_id),
            col(m.sign_in_token_id),
        ),
    )
    rows = sorted(rows, key=lambda r: (r[2], r[0]))
    return [
        Claimed(
            id=r[0],
            attempts=r[1],
            envelope=Envelope(
                message_id=r[3],
                template=r[4],
                params=r[5] or {},
                recipient_id=r[6],
                sign_in_token_id=r[7],
            ),
        )
        for r in rows
    ]


# Results are written through a session (in a test's transaction) or, by a worker, through one
# connection in autocommit mode: each result is then one statement, committed on its own.
Writer = Session | Connection


def _run(db: Writer, statement: Executable, params: dict[str, Any] | None = None) -> int:
    """Execute an UPDATE; how many rows it changed."""
    done = cast(CursorResult[Any], db.execute(statement, params))
    return done.rowcount


def _mine(claimed: Claimed, owner: str) -> ColumnElement[bool]:
    return and_(
        col(OutboxMessage.id) == claimed.id,
        col(OutboxMessage.lease_owner) == owner,
        col(OutboxMessage.state) == MessageState.queued,
    )


# Built once: it runs for every message sent.
_SENT = (
    update(OutboxMessage)
    .where(
        col(OutboxMessage.id) == bindparam("message"),
        col(OutboxMessage.lease_owner) == bindparam("owner"),
        col(OutboxMessage.state) == MessageState.queued,
    )
    .values(
        state=MessageState.sent,
        attempts=bindparam("attempts"),
        finished_at=bindparam("now"),
        lease_expires_at=None,
        last_error=None,
    )
)


def mark_sent(db: Writer, claimed: Claimed, *, owner: str, now: datetime) -> bool:
    """Sent: the message is finished (``lease_owner`` stays, to say who sent it). False when
    another worker had taken it over (its lease ran out): it may then arrive twice, with the
    same Message-ID."""
    params = {"message": claimed.id, "owner": owner, "attempts": claimed.attempts + 1, "now": now}
    return _run(db, _SENT, params) == 1


def mark_cancelled(db: Writer, claimed: Claimed, *, owner: str, now: datetime, reason: str) -> None:
    _run(
        db,
        update(OutboxMessage)
        .where(_mine(claimed, owner))
        .values(
            state=MessageState.cancelled,
            finished_at=now,
            lease_owner=None,
            lease_expires_at=None,
            last_error=reason[:500],
        ),
    )


def mark_failed(
    db: Writer,
    claimed: Claimed,
    *,
    owner: str,
    now: datetime,
    error: str,
    settings: Settings,
) -> MessageState:
    """A failed attempt: due again after a backoff, or parked as failed after the last one."""
    attempts = claimed.attempts + 1
    values: dict[str, object] = {
        "attempts": attempts,
        "lease_owner": None,
        "lease_expires_at": None,
        "last_error": error[:500],
    }
    if attempts >= settings.mail_max_attempts:
        state = MessageState.failed
        values.update(state=state, finished_at=now)
    else:
        state = MessageState.queued
        is_link = claimed.envelope.template == Template.sign_in_link
        cap = RETRY_CAP_SIGN_IN if is_link else RETRY_CAP
        delay = retry_delay(attempts, base=settings.mail_retry_seconds, cap=cap.total_seconds())
        values["next_attempt_at"] = now + delay
    _run(db, update(OutboxMessage).where(_mine(claimed, owner)).values(values))
    return state


def release(db: Writer, claimed: Sequence[Claimed], *, owner: str) -> None:
    """Give back messages not attempted (the worker is stopping): no attempt is counted."""
    if not claimed:
        return
    _run(
        db,
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id).in_([c.id for c in claimed]),
            col(OutboxMessage.lease_owner) == owner,
            col(OutboxMessage.state) == MessageState.queued,
        )
        .values(lease_owner=None, lease_expires_at=None),
    )


def next_attempt_due(session: Session) -> datetime | None:
    """When the next message not held by a worker is due (how long a worker may sleep)."""
    return session.exec(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            col(OutboxMessage.state) == MessageState.queued,
            col(OutboxMessage.lease_owner).is_(None),
        )
    ).one()


def describe(error: BaseException, address: str | None = None) -> str:
    """The error as an admin may read it: never an address (the server's reply often
    repeats the recipient's)."""
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        said = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        text = f"{error.smtp_code} {said}"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(
            f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()
        )
    else:
        text = str(error)
    text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    if address:
        text = text.replace(address, "<recipient>")
    return _ADDRESS.sub("<address>", " ".join(text.split()))[:500]


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0  # attempts that failed (most will be retried)
    cancelled: int = 0
    released: int = 0
    unavailable: bool = False  # the mail server could not be reached at all

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.cancelled + self.released


Transactions = Callable[[], AbstractContextManager[Session]]
Writers = Callable[[], AbstractContextManager[Writer]]


@contextmanager
def autocommit(engine: Engine) -> Iterator[Connection]:
    """One connection for a batch's results, each statement its own transaction (no session,
    no new connection per message)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


Rendered = Mail | NotSent | Exception


def _render_all(
    transaction: Transactions, renderer: MailRenderer, claimed: list[Claimed], now: datetime
) -> list[Rendered]:
    """Render the whole batch in one read (a broken template fails only its own messages)."""
    cache: dict[tuple[str, str], dict[str, object] | None] = {}
    rendered: list[Rendered] = []
    recipients = [c.envelope.recipient_id for c in claimed if c.envelope.recipient_id is not None]
    with transaction() as session:
        addresses = vault.emails_of(session, recipients)
        for c in claimed:
            try:
                mail = renderer.render(
                    session, c.envelope, now=now, cache=cache, addresses=addresses
                )
                rendered.append(mail)
            except Exception as error:  # recorded on the message, for an admin
                log.exception("could not render outbox message %s (%s)", c.id, c.envelope.template)
                rendered.append(error)
    return rendered


def deliver_due(
    transaction: Transactions,
    *,
    settings: Settings,
    transport: Transport,
    renderer: MailRenderer,
    owner: str,
    stopping: threading.Event | None = None,
    results: Writers | None = None,
) -> BatchResult:
    """Claim one batch of due messages and deliver it over one connection. Each result is
    written as soon as it is known through ``results`` (a worker's autocommit connection,
    so a crash repeats at most the message in flight); without it, in one ``transaction``."""
    now = utcnow()
    lease = timedelta(seconds=settings.mail_lease_seconds)
    with transaction() as session:
        claimed = claim_messages(
            session, owner=owner, now=now, lease=lease, limit=settings.mail_batch_size
        )
    result = BatchResult()
    if not claimed:
        return result
    started = time.monotonic()
    rendered = _render_all(transaction, renderer, claimed, now)
    unavailable: TransportUnavailable | None = None
    with (results or transaction)() as db, transport.connect() as connection:
        for index, (c, item) in enumerate(zip(claimed, rendered, strict=True)):
            late = time.monotonic() - started > lease.total_seconds() / 2
            if late or (stopping is not None and stopping.is_set()):
                # Before the lease could run out (or the worker stops): give the rest back.
                release(db, claimed[index:], owner=owner)
                result.released += len(claimed) - index
                break
            if isinstance(item, NotSent):
                mark_cancelled(db, c, owner=owner, now=utcnow(), reason=item.reason)
                result.cancelled += 1
                continue
            error: BaseException | None = item if isinstance(item, Exception) else unavailable
            if error is None and isinstance(item, Mail):
                try:
                    connection.send(item)
                except TransportUnavailable as down:
                    error = unavailable = down  # the rest of the batch fails the same way
                    result.unavailable = True
                except (smtplib.SMTPException, OSError) as refused:
                    error = refused
            if error is None:
                if not mark_sent(db, c, owner=owner, now=utcnow()):
                    log.warning("outbox message %s was taken over while being sent", c.id)
                result.sent += 1
            else:
                address = item.to if isinstance(item, Mail) else None
                reason = describe(error, address)
                mark_failed(db, c, owner=owner, now=utcnow(), error=reason, settings=settings)
                result.failed += 1
    if result.failed or result.cancelled:
        log.info(
            "outbox batch: %d sent, %d failed, %d cancelled, %d given back",
            result.sent,
            result.failed,
            result.cancelled,
            result.released,
        )
    return result
