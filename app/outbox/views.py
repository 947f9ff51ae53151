"""Reading the outbox: the figures for health checks and metrics, the admins' list of failed
messages, and the development outbox page (rendered as the messages would be sent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.outbox.contexts import LABELS
from app.outbox.models import JobState, MessageState, OutboxMessage, ScheduledJob
from app.outbox.queue import Template
from app.outbox.render import Envelope, MailRenderer, NotSent
from app.outbox.transport import message_id_header
from app.settings import Settings


@dataclass(frozen=True)
class MailCounts:
    waiting: int  # queued, due now or later (retries included)
    due: int  # of those, due now: what workers should be sending
    failed: int  # parked after their last attempt, waiting for an admin
    oldest_due_at: datetime | None  # when the longest-waiting due message became due


def mail_counts(session: Session, *, now: datetime) -> MailCounts:
    """Waiting, due and failed messages, in one query (for /readyz, metrics, the admin page)."""
    queued = col(OutboxMessage.state) == MessageState.queued
    is_due = queued & (col(OutboxMessage.next_attempt_at) <= now)
    waiting, due, failed, oldest = session.exec(
        select(
            func.count(case((queued, 1))),
            func.count(case((is_due, 1))),
            func.count(case((col(OutboxMessage.state) == MessageState.failed, 1))),
            func.min(case((is_due, col(OutboxMessage.next_attempt_at)))),
        ).where(col(OutboxMessage.state).in_([MessageState.queued, MessageState.failed]))
    ).one()
    return MailCounts(waiting=waiting, due=due, failed=failed, oldest_due_at=oldest)


def mail_waiting(session: Session, *, now: datetime) -> int:
    """Messages not yet sent (for /readyz and the metrics)."""
    return mail_counts(session, now=now).waiting


def mail_failed(session: Session, *, now: datetime) -> int:
    """Messages parked as failed (for /readyz and the metrics)."""
    return mail_counts(session, now=now).failed


def _label(template: str) -> str:
    try:
        return LABELS[Template(template)]
    except ValueError:
        return template


@dataclass(frozen=True)
class FailedMessage:
    id: int
    label: str
    recipient: str  # a pseudonym, never an address
    attempts: int
    last_error: str
    created_at: datetime
    failed_at: datetime | None
    message_id: str


@dataclass(frozen=True)
class FailedJob:
    id: int
    name: str
    key: str
    attempts: int
    last_error: str
    created_at: datetime


@dataclass(frozen=True)
class OutboxPage:
    counts: MailCounts
    failed: list[FailedMessage]
    failed_jobs: list[FailedJob]
    page: int
    has_next: bool


def _recipient(pseudonym: str | None, message: OutboxMessage) -> str:
    if pseudonym:
        return pseudonym
    if message.sign_in_token_id is not None:
        return "(a sign-in link: the address is in the vault)"
    return "(account deleted)"


def outbox_page(
    session: Session, *, now: datetime, settings: Settings, page: int = 1, per_page: int = 50
) -> OutboxPage:
    """The admins' page: the figures, and failed messages newest first, a page at a time."""
    page = max(1, page)
    rows = session.exec(
        select(OutboxMessage, User.pseudonym)
        .outerjoin(User, col(User.id) == col(OutboxMessage.recipient_id))
        .where(col(OutboxMessage.state) == MessageState.failed)
        .order_by(col(OutboxMessage.finished_at).desc(), col(OutboxMessage.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    failed = [
        FailedMessage(
            id=m.id or 0,
            label=_label(m.template),
            recipient=_recipient(pseudonym, m),
            attempts=m.attempts,
            last_error=m.last_error or "",
            created_at=m.created_at,
            failed_at=m.finished_at,
            message_id=message_id_header(m.message_id, settings),
        )
        for m, pseudonym in rows[:per_page]
    ]
    jobs = session.exec(
        select(ScheduledJob)
        .where(col(ScheduledJob.state) == JobState.failed)
        .order_by(col(ScheduledJob.id).desc())
        .limit(per_page)
    ).all()
    return OutboxPage(
        counts=mail_counts(session, now=now),
        failed=failed,
        failed_jobs=[
            FailedJob(
                id=j.id or 0,
                name=j.name,
                key=j.key,
                attempts=j.attempts,
                last_error=j.last_error or "",
                created_at=j.created_at,
            )
            for j in jobs
        ],
        page=page,
        has_next=len(rows) > per_page,
    )


@dataclass(frozen=True)
class ShownMail:
    """A message as the development outbox shows it."""

    id: int
    to: str
    subject: str
    body: str
    state: str
    created_at: datetime
    finished_at: datetime | None


def dev_outbox(
    session: Session, *, renderer: MailRenderer, now: datetime, limit: int = 50
) -> list[ShownMail]:
    """The newest messages, rendered now as the worker would send them (development only:
    the addresses shown are the demo's)."""
    messages = session.exec(
        select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).limit(limit)
    ).all()
    shown = []
    for m in messages:
        envelope = Envelope(
            message_id=m.message_id,
            template=m.template,
            params=m.params or {},
            recipient_id=m.recipient_id,
            sign_in_token_id=m.sign_in_token_id,
        )
        mail = renderer.render(session, envelope, now=now)
        if isinstance(mail, NotSent):
            to, subject, body = "(nobody)", _label(m.template), mail.reason
        else:
            to, subject, body = mail.to, mail.subject, mail.body
        shown.append(
            ShownMail(
                id=m.id or 0,
                to=to,
                subject=subject,
                body=body,
                state=m.state,
                created_at=m.created_at,
                finished_at=m.finished_at,
            )
        )
    return shown
