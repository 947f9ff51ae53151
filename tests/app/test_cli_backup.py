"""`reclaim backup FILE` copies a SQLite database while it is being written to; the copy,
restored, passes `reclaim audit verify` and `reclaim evidence verify`. `reclaim create-user
--role admin` makes the first admin of an empty database, audited like any role change."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.audit import log as audit
from app.audit.models import AuditEntry
from app.cli import cli
from app.migrate import upgrade
from app.settings import Settings, get_settings
from app.wiring import build_site
from kernel.clock import utcnow
from tests.factories import make_post, make_report


@pytest.fixture
def use_database(monkeypatch):
    def use(url: str) -> None:
        monkeypatch.setenv("RECLAIM_DATABASE_URL", url)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def _write_until(stop: threading.Event, site, written: list[int]) -> None:
    """A stream of writes that touch the audit chain and the evidence snapshots: posts, each
    reported (a case, an evidence snapshot, audit entries)."""
    while not stop.is_set():
        with site.transaction() as session:
            post = make_post(
                session, text=f"A post written during the backup, number {len(written)}."
            )
            make_report(session, post, reason="spam")
            audit.record(
                session,
                actor_id=None,
                action="test.write",
                subject_type="test",
                subject_id=len(written),
                now=utcnow(),
            )
        written.append(1)


def test_a_backup_taken_during_writes_restores_and_verifies(tmp_path, use_database) -> None:
    source = tmp_path / "live.db"
    url = f"sqlite:///{source}"
    upgrade(url)
    use_database(url)  # before the writer starts: it reads the settings too
    site = build_site(Settings(database_url=url, _env_file=None))
    written: list[int] = []
    stop = threading.Event()
    writer = threading.Thread(target=_write_until, args=(stop, site, written))
    writer.start()
    runner = CliRunner()
    copies = []
    try:
        while len(written) < 5:
            time.sleep(0.02)
        for n in range(3):
            before = len(written)
            target = tmp_path / f"backup-{n}.db"
            result = runner.invoke(cli, ["backup", str(target)])
            assert result.exit_code == 0, result.output
            assert f"to {target}" in result.output
            copies.append((target, before))
            while len(written) < before + 3:  # writes went on around each copy
                time.sleep(0.02)
    finally:
        stop.set()
        writer.join(timeout=60)
        site.engine.dispose()
    assert len(written) > 10
    for target, before in copies:
        restored = tmp_path / f"restored-{target.name}"
        shutil.copy(target, restored)  # restoring is putting the file back
        assert not (tmp_path / f"{target.name}-wal").exists()
        with sqlite3.connect(restored) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            entries = conn.execute(
                "SELECT count(*) FROM audit_entry WHERE action = 'test.write'"
            ).fetchone()[0]
        assert entries >= before
        use_database(f"sqlite:///{restored}")
        audited = runner.invoke(cli, ["audit", "verify"])
        assert audited.exit_code == 0 and "Audit chain intact" in audited.output, audited.output
        evidence = runner.invoke(cli, ["evidence", "verify"])
        assert evidence.exit_code == 0, evidence.output
        assert "match their SHA-256" in evidence.output


def test_a_backup_never_overwrites_a_file(tmp_path, use_database) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    upgrade(url)
    use_database(url)
    existing = tmp_path / "existing.db"
    existing.write_text("keep me")
    result = CliRunner().invoke(cli, ["backup", str(existing)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_text() == "keep me"


def test_a_backup_of_postgresql_names_the_pg_dump_command(tmp_path, use_database) -> None:
    use_database("postgresql+psycopg://reclaim:s3cret@db.internal:5432/reclaim")
    result = CliRunner().invoke(cli, ["backup", str(tmp_path / "copy.dump")])
    assert result.exit_code == 1
    assert (
        "pg_dump --format=custom" in result.output and "db.internal:5432/reclaim" in result.output
    )
    assert "s3cret" not in result.output


def test_create_user_bootstraps_the_first_admin_and_audits_it(tmp_path, use_database) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    use_database(url)
    runner = CliRunner()
    unmigrated = runner.invoke(
        cli, ["create-user", "first@example.test", "FirstAdmin", "--role", "admin"]
    )
    assert unmigrated.exit_code == 1 and "reclaim migrate" in unmigrated.output
    upgrade(url)
    made = runner.invoke(
        cli, ["create-user", "first@example.test", "FirstAdmin", "--role", "admin"]
    )
    assert made.exit_code == 0, made.output
    assert "FirstAdmin with roles: admin citizen" in made.output
    site = build_site(Settings(database_url=url, _env_file=None))
    with site.transaction() as session:
        [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "role.grant")).all()
        assert entry.actor_id is None and entry.details["role"] == "admin"
        assert "reclaim create-user" in entry.details["reason"]
        assert "first@example.test" not in str(entry.details)
        assert audit.verify(session) is None
    site.engine.dispose()
    unknown = runner.invoke(cli, ["create-user", "x@example.test", "Someone", "--role", "overlord"])
    assert unknown.exit_code == 2 and "choose citizen, moderator" in unknown.output
