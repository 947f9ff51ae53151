"""The stored audit log: appended in the caller's transaction, verified link by link."""

import itertools

from sqlalchemy import delete, update
from sqlmodel import Session, select

from app.audit import log as audit
from app.audit.models import AuditEntry
from kernel.clock import utcnow


def _write(session: Session, n: int) -> None:
    for i in range(n):
        audit.record(
            session,
            actor_id=i,
            action="test.action",
            subject_type="thing",
            subject_id=i,
            details={"i": i},
            now=utcnow(),
        )


def test_entries_chain_and_verify(session: Session) -> None:
    _write(session, 5)
    assert audit.verify(session) is None
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


def test_changed_entry_is_reported_at_its_seq(session: Session) -> None:
    _write(session, 5)
    session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(details={"i": 99}))
    session.expire_all()
    broken = audit.verify(session)
    assert broken is not None and broken.seq == 3


def test_removed_entry_is_reported(session: Session) -> None:
    _write(session, 5)
    session.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    broken = audit.verify(session)
    assert broken is not None and broken.seq == 2


def test_removed_tail_is_reported_against_the_head(session: Session) -> None:
    _write(session, 5)
    session.execute(delete(AuditEntry).where(AuditEntry.seq == 5))
    broken = audit.verify(session)
    assert broken is not None and broken.kind == "truncated"
