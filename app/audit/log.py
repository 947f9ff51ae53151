"""Writing and verifying the audit log. Every privileged action calls ``record``.

Details must never hold identity data (no e-mail, no name): ids, categories and reasons only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Text, cast, insert, select, update
from sqlmodel import Session, col

from app.audit.chain import GENESIS, BrokenLink, ChainRecord, contents_hash, verify_chain
from app.audit.models import AuditEntry, AuditHead
from kernel.batches import keyset_rows


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: str | int,
    details: Mapping[str, Any] | None = None,
    now: datetime,
) -> AuditEntry:
    """Append one entry in the caller's transaction (so it exists only if the action does)."""
    head = session.execute(
        update(AuditHead)
        .where(col(AuditHead.id) == 1)
        .values(seq=col(AuditHead.seq) + 1)
        .returning(col(AuditHead.seq), col(AuditHead.hash))
    ).first()
    if head is None:  # the very first entry: create the head row
        session.execute(insert(AuditHead).values(id=1, seq=1, hash=GENESIS))
        seq, prev_hash = 1, GENESIS
    else:
        seq, prev_hash = head
    entry = AuditEntry(
        seq=seq,
        occurred_at=now,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=dict(details or {}),
        prev_hash=prev_hash,
        hash="",
    )
    entry.hash = contents_hash(entry)
    session.execute(update(AuditHead).where(col(AuditHead.id) == 1).values(hash=entry.hash))
    session.add(entry)
    session.flush()
    return entry


_STORED = (
    col(AuditEntry.seq),
    col(AuditEntry.prev_hash),
    col(AuditEntry.hash),
    col(AuditEntry.occurred_at),
    col(AuditEntry.actor_id),
    col(AuditEntry.action),
    col(AuditEntry.subject_type),
    col(AuditEntry.subject_id),
    cast(col(AuditEntry.details), Text).label("details"),
)


def _record(row: Row[Any]) -> ChainRecord:
    """A stored entry as the chain reads it; details that are no longer JSON (a changed byte)
    are kept as ``unreadable``, for ``verify_chain`` to report the entry as changed."""
    try:
        details = json.loads(row.details) if row.details is not None else {}
        problem = None if isinstance(details, dict) else "not a JSON object"
    except ValueError as error:  # JSONDecodeError, and text that is not UTF-8
        details, problem = {}, str(error)
    return ChainRecord(
        seq=row.seq,
        prev_hash=row.prev_hash,
        hash=row.hash,
        occurred_at=row.occurred_at,
        actor_id=row.actor_id,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        details=details if problem is None else {},
        unreadable=problem,
    )


def _entries(session: Session, batch: int = 1000) -> Iterator[ChainRecord]:
    """Every entry in ``seq`` order, ``batch`` at a time, details read as the stored text so
    that one damaged entry cannot stop the check."""
    rows = keyset_rows(session, _STORED, col(AuditEntry.seq), batch=batch)
    return (_record(row) for row in rows)


def details_of(
    session: Session, *, action: str, subject_type: str, subject_ids: Sequence[str]
) -> dict[str, Mapping[str, Any]]:
    """The details of the first entry of ``action`` about each of these subjects (one query
    on the ``action`` index), by subject id; entries whose details cannot be read are left
    out, as ``verify`` reports them."""
    if not subject_ids:
        return {}
    rows = session.execute(
        select(col(AuditEntry.subject_id), cast(col(AuditEntry.details), Text).label("details"))
        .where(
            col(AuditEntry.action) == action,
            col(AuditEntry.subject_type) == subject_type,
            col(AuditEntry.subject_id).in_(list(subject_ids)),
        )
        .order_by(col(AuditEntry.seq))
    ).all()
    found: dict[str, Mapping[str, Any]] = {}
    for subject_id, raw in rows:
        try:
            details = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if isinstance(details, dict):
            found.setdefault(subject_id, details)
    return found


def verify(session: Session, *, expected_head: str | None = None) -> BrokenLink | None:
    """The first broken link of the stored chain, or None when it is intact."""
    head = session.get(AuditHead, 1)
    if expected_head is None and head is not None:
        expected_head = head.hash
    return verify_chain(_entries(session), expected_head=expected_head)
