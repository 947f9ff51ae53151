"""Writing and verifying the audit log. Every privileged action calls ``record``.

Details must never hold identity data (no e-mail, no name): ids, categories and reasons only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, col

from app.audit.chain import GENESIS, BrokenLink, contents_hash, verify_chain
from app.audit.models import AuditEntry, AuditHead
from kernel.batches import keyset_batches


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


def _entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    return keyset_batches(session, AuditEntry, "seq", batch=batch, expunge=True)


def verify(session: Session, *, expected_head: str | None = None) -> BrokenLink | None:
    """The first broken link of the stored chain, or None when it is intact."""
    head = session.get(AuditHead, 1)
    if expected_head is None and head is not None:
        expected_head = head.hash
    return verify_chain(_entries(session), expected_head=expected_head)
