"""``reclaim backup FILE``: a consistent copy of a SQLite database while the site serves.

SQLite's online backup API copies the database page by page from a read transaction. It is
done in one step, so the copy is a single snapshot, however many writes arrive meanwhile: in
WAL mode a reader never blocks the writers, and a step-by-step backup would have to start
again after every write from another connection. The copy is written beside the target, its
integrity checked, switched out of WAL mode (so that it is one self-contained file) and only
then moved into place; an existing file is never overwritten.

PostgreSQL is backed up with its own tools: ``pg_dump`` for a logical copy, base backups with
WAL archiving for point-in-time recovery (README, "Running in production").
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from kernel import i18n
from kernel.errors import DomainError


class BackupRefused(DomainError):
    title = i18n.N_("No backup was taken")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    pages: int
    size: int


def pg_dump_command(database_url: str, target: str) -> str:
    """The command that takes the same copy of a PostgreSQL database (password left out: give
    it in PGPASSWORD or ~/.pgpass)."""
    url = make_url(database_url).set(drivername="postgresql", password=None)
    return f"pg_dump --format=custom --file={target} '{url.render_as_string()}'"


def backup_sqlite(database_url: str, target: Path) -> BackupResult:
    parsed = make_url(database_url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupRefused(
            "reclaim backup copies SQLite databases; this site uses PostgreSQL. Take a copy "
            f"with: {pg_dump_command(database_url, str(target))}"
        )
    source = Path(parsed.database or "")
    if not parsed.database or parsed.database == ":memory:" or not source.is_file():
        raise BackupRefused(f"There is no database file at {source}.")
    if target.exists():
        raise BackupRefused(f"{target} already exists: choose a new file name.")
    if not target.parent.is_dir():
        raise BackupRefused(f"The folder {target.parent} does not exist.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(source, timeout=30)) as src:
            src.execute("PRAGMA busy_timeout=30000")
            with contextlib.closing(sqlite3.connect(partial)) as copy:
                src.backup(copy)  # pages=-1: everything in one step, one snapshot
                status = copy.execute("PRAGMA integrity_check").fetchone()[0]
                if status != "ok":
                    raise BackupRefused(f"The copy failed its integrity check: {status}")
                copy.execute("PRAGMA journal_mode=DELETE")
                pages = int(copy.execute("PRAGMA page_count").fetchone()[0])
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=target, pages=pages, size=target.stat().st_size)
