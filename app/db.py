"""Database engines, with the SQLite pragmas of the embedded default. Sessions come from the
site that owns the engine (``app.wiring.Site``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine

from kernel.hooks import Registry, session_info


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # SQLite's page cache is per connection (2 MiB each by default, so a pool of 20 could hold
    # 40 MiB per worker); 512 KiB keeps the hot index pages, and the operating system's file
    # cache, shared by every connection and worker, holds the rest.
    cursor.execute("PRAGMA cache_size=-512")
    cursor.close()


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine whose pool holds ``2 × pool_size`` connections: ``pool_size`` for requests'
    sessions (``app.deps.get_db`` admits no more at once) and as many again for the short
    transactions of their own that requests open (rate limits, session activity)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


@contextmanager
def session_scope(engine: Engine, hooks: Registry | None = None) -> Iterator[Session]:
    """One unit of work outside a request (CLI, seeding): commit on success, roll back on error.

    Without ``hooks`` the session reaches no other domain (moderation refuses to act on it)."""
    info = session_info(hooks) if hooks is not None else {}
    with Session(engine, expire_on_commit=False, info=info) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
