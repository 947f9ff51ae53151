"""The stored audit log: appended in the caller's transaction, verified link by link."""

import itertools

import pytest
from sqlalchemy import delete, text, update
from sqlmodel import Session, select
from typer.testing import CliRunner

from app import db
from app.audit import log as audit
from app.audit.models import AuditEntry
from app.cli import cli
from app.migrate import upgrade
from app.settings import get_settings
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


def _damage_details(session: Session, seq: int, raw: str) -> None:
    session.execute(
        text("UPDATE audit_entry SET details = :raw WHERE seq = :seq"), {"raw": raw, "seq": seq}
    )
    session.expire_all()


def test_details_that_are_no_longer_json_are_reported_as_a_changed_entry(
    session: Session, backend: str
) -> None:
    if backend == "postgresql":
        pytest.skip("PostgreSQL's json type refuses text that is not JSON: it cannot be stored")
    _write(session, 5)
    _damage_details(session, 3, '{"i": 2')  # one byte removed
    broken = audit.verify(session)
    assert broken is not None and (broken.seq, broken.kind) == (3, "changed")
    assert "no longer valid JSON" in broken.reason


def test_details_that_are_json_but_not_an_object_are_reported_as_changed(
    session: Session,
) -> None:
    _write(session, 3)
    _damage_details(session, 2, "[1]")
    broken = audit.verify(session)
    assert broken is not None and (broken.seq, broken.kind) == (2, "changed")


def test_reclaim_audit_verify_reports_damaged_json_without_a_traceback(
    tmp_path, monkeypatch
) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    upgrade(url)
    monkeypatch.setenv("RECLAIM_DATABASE_URL", url)
    get_settings.cache_clear()
    engine = db.make_engine(url)
    try:
        with db.session_scope(engine) as s:
            _write(s, 4)
        runner = CliRunner()
        intact = runner.invoke(cli, ["audit", "verify"])
        assert intact.exit_code == 0 and "intact" in intact.output
        with db.session_scope(engine) as s:
            _damage_details(s, 2, '{"i": 1}x')
        damaged = runner.invoke(cli, ["audit", "verify"])
        assert damaged.exit_code == 1, damaged.output
        assert damaged.exception is None or isinstance(damaged.exception, SystemExit)
        assert "broken at entry 2" in damaged.output
        assert "no longer valid JSON" in damaged.output
        assert "Traceback" not in damaged.output
    finally:
        get_settings.cache_clear()
        engine.dispose()
