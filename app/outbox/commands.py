"""An admin's actions on the outbox, and its housekeeping."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, update
from sqlmodel import Session, col

from app.outbox.jobs import retry_failed_job
from app.outbox.models import MessageState, OutboxMessage
from app.outbox.queue import note_work
from kernel import i18n
from kernel.errors import Conflict


def _requeue(session: Session, *criteria: ColumnElement[bool], now: datetime) -> int:
    """Failed messages matching ``criteria`` are due again now, with attempts counted afresh
    (a conditional update: only messages still failed move)."""
    done = session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.state) == MessageState.failed, *criteria)
        .values(
            state=MessageState.queued,
            attempts=0,
            next_attempt_at=now,
            lease_owner=None,
            lease_expires_at=None,
            finished_at=None,
        )
    )
    if done.rowcount:
        note_work(session)
    return done.rowcount


def retry_message(session: Session, *, message_id: int, now: datetime) -> None:
    """Send a parked message again (its last error stays, until an attempt succeeds)."""
    if not _requeue(session, col(OutboxMessage.id) == message_id, now=now):
        raise Conflict(
            i18n._("This message is no longer waiting for a retry: it was retried already.")
        )


def retry_all_failed(session: Session, *, now: datetime) -> int:
    """Send every parked message again; returns how many."""
    return _requeue(session, now=now)


def purge_finished_messages(session: Session, *, now: datetime, keep_days: int) -> int:
    """Delete messages sent, cancelled or parked more than ``keep_days`` ago."""
    gone = session.exec(
        delete(OutboxMessage).where(
            col(OutboxMessage.state).in_(
                [MessageState.sent, MessageState.cancelled, MessageState.failed]
            ),
            col(OutboxMessage.finished_at) < now - timedelta(days=keep_days),
        )
    )
    return gone.rowcount


def retry_job(session: Session, *, job_id: int, now: datetime) -> None:
    """Run a parked job again."""
    if not retry_failed_job(session, job_id=job_id, now=now):
        raise Conflict(i18n._("This job is no longer waiting for a retry: it was retried already."))
