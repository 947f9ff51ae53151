"""Queuing mail, inside the caller's transaction: if it rolls back, no message exists.

Only references are stored: the recipient's account (or the vault's sign-in token row), the
template and parameters that are plain values. An address in the parameters is refused, so a
mistake cannot write one into the outbox.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, event, text, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, SQLModel, col

from app.outbox.models import OutboxMessage
from kernel import hooks
from kernel.hooks import HooksNotBound
from kernel.rows import conflict_insert

if TYPE_CHECKING:  # the type only: a PostgreSQL site never loads SQLite's dialect
    from sqlalchemy.dialects.sqlite import Insert

CHANNEL = "reclaim_outbox"  # PostgreSQL LISTEN/NOTIFY channel that wakes workers
_QUEUED = "reclaim.outbox.queued"


class Template(StrEnum):
    """Every kind of e-mail Reclaim sends; each has ``templates/<name>.txt``."""

    sign_in_link = "sign_in_link"
    moderation_notice = "moderation_notice"
    disclosure_notice = "disclosure_notice"
    outcome_published = "outcome_published"
    reply_notification = "reply_notification"
    response_receipt = "response_receipt"


# Lower goes first: a sign-in link never waits behind thousands of outcome notifications.
PRIORITY = {
    Template.sign_in_link: 0,
    Template.moderation_notice: 3,
    Template.disclosure_notice: 3,
    Template.outcome_published: 7,
    Template.reply_notification: 5,
    Template.response_receipt: 2,
}

Param = str | int | bool | None


def _checked(params: Mapping[str, Any] | None) -> dict[str, Param]:
    checked: dict[str, Param] = {}
    for name, value in (params or {}).items():
        if not isinstance(value, str | int | bool) and value is not None:
            raise TypeError(f"outbox parameter {name!r} must be a plain value")
        if isinstance(value, str) and "@" in value:
            raise ValueError(f"outbox parameter {name!r} looks like an address: refused")
        checked[name] = value
    return checked


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def insert_unless_present(session: Session, table: type[SQLModel]) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING`` in the session's dialect: a row that would break a
    unique index is left out (the request it stands for is already there)."""
    return conflict_insert(session, table).on_conflict_do_nothing()


def claim_picked(
    session: Session,
    table: type[SQLModel],
    pick: Select[Any],
    *,
    values: dict[str, Any],
    returning: Sequence[Any],  # columns
) -> list[tuple[Any, ...]]:
    """Update the rows that ``pick`` selects (their ids, ``FOR UPDATE SKIP LOCKED``) with
    ``values``; returns ``returning`` of each row updated.

    The picked ids are a materialised CTE, read once and joined by primary key (``UPDATE …
    FROM picked``). Written as ``WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)``,
    PostgreSQL may plan a nested loop that runs the subquery again for every row, claiming
    far more than ``n`` rows and holding locks other workers then wait for. The rows need no
    second check: on PostgreSQL each picked row is locked and its conditions re-checked on
    its latest version before it is returned; on SQLite the one statement runs alone."""
    picked = pick.cte("picked").prefix_with("MATERIALIZED", dialect="postgresql")
    key = table.__table__.c.id  # type: ignore[attr-defined]
    statement = update(table).where(key == picked.c.id).values(values)  # UPDATE … FROM
    return [tuple(row) for row in session.execute(statement.returning(*returning))]


def note_work(session: Session) -> None:
    """Wake workers when this transaction commits (once per transaction). On PostgreSQL a
    NOTIFY sent inside the transaction is delivered only if it commits."""
    if session.info.get(_QUEUED):
        return
    session.info[_QUEUED] = True
    if _dialect(session) == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    if session.info.pop(_QUEUED, False):
        try:
            relay = hooks.of(session)
        except HooksNotBound:
            return
        relay.work_queued()


@event.listens_for(OrmSession, "after_soft_rollback")
def _after_rollback(session: OrmSession, _previous: object) -> None:
    session.info.pop(_QUEUED, None)


def new_message_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class NewMail:
    """One message to queue (see ``queue_mail``)."""

    template: Template
    recipient_id: int | None = None
    sign_in_token_id: int | None = None
    params: Mapping[str, Any] | None = None
    not_before: datetime | None = None
    dedupe_key: str | None = None

    def row(self, now: datetime) -> dict[str, Any]:
        if (self.recipient_id is None) == (self.sign_in_token_id is None):
            raise ValueError("a message goes to an account or to a sign-in token, not both")
        return {
            "message_id": new_message_id(),
            "template": self.template.value,
            "params": _checked(self.params),
            "recipient_id": self.recipient_id,
            "sign_in_token_id": self.sign_in_token_id,
            "dedupe_key": self.dedupe_key,
            "priority": PRIORITY[self.template],
            "state": "queued",
            "attempts": 0,
            "next_attempt_at": max(now, self.not_before or now),
            "created_at": now,
        }


def queue_mails(session: Session, mails: Iterable[NewMail], *, now: datetime) -> int:
    """Queue several messages in one statement; a message whose ``dedupe_key`` is already
    queued is left out. Returns how many were queued."""
    rows = [mail.row(now) for mail in mails]
    if not rows:
        return 0
    # One multi-row INSERT; RETURNING gives back only the rows that were not left out.
    statement = insert_unless_present(session, OutboxMessage).returning(col(OutboxMessage.id))
    queued = len(session.execute(statement, rows).all())
    if queued:
        note_work(session)
    return queued


def queue_mail(
    session: Session,
    *,
    template: Template,
    now: datetime,
    recipient_id: int | None = None,
    sign_in_token_id: int | None = None,
    params: Mapping[str, Any] | None = None,
    not_before: datetime | None = None,
    dedupe_key: str | None = None,
) -> bool:
    """Queue one message in the caller's transaction; whether it was queued (False when its
    ``dedupe_key`` already was)."""
    mail = NewMail(
        template=template,
        recipient_id=recipient_id,
        sign_in_token_id=sign_in_token_id,
        params=params,
        not_before=not_before,
        dedupe_key=dedupe_key,
    )
    return queue_mails(session, [mail], now=now) == 1
