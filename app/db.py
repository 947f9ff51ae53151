"""Database engines, with the SQLite pragmas of the embedded default. Sessions come from the
site that owns the engine (``app.wiring.Site``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine

from kernel.hooks import Registry, session_info

BUSY_SECONDS = 5.0  # how long a write waits for another writer before it is refused
# A PostgreSQL connection unused for longer than this is checked before it is handed out.
IDLE_PING_SECONDS = 10.0


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # For writers that are not Reclaim's: Reclaim's own wait for the write lock
    # (app.sqlite_writes), so they never reach SQLite's sleeping busy handler.
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000:.0f}")
    # SQLite's page cache is per connection (2 MiB each by default, so a pool of 20 could hold
    # 40 MiB per worker); 512 KiB keeps the hot index pages, and the operating system's file
    # cache, shared by every connection and worker, holds the rest.
    cursor.execute("PRAGMA cache_size=-512")
    cursor.close()


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine whose pool holds ``2 × pool_size`` connections: ``pool_size`` for requests'
    sessions (``app.deps.get_db`` admits no more at once) and as many again for the short
    transactions of their own that requests open (rate limits, session activity)."""
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, pool_size=pool_size)
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        # Server-side prepared statements: each statement is parsed and planned once per
        # connection, from its second run (psycopg's default waits for the sixth).
        connect_args={"prepare_threshold": 1},
    )
    event.listen(engine, "connect", _keep_prepared_statements)
    _ping_when_idle(engine)
    return engine


def _sqlite_engine(url: str, *, pool_size: int) -> Engine:
    # Imported here: a PostgreSQL site never loads the sqlite3 module and its library (about
    # 0.9 MiB resident in each web process).
    from app.sqlite_writes import LockingConnection, write_lock_for

    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    in_memory = not parsed.database or parsed.database == ":memory:"
    lock = write_lock_for(None if in_memory else parsed.database, timeout=BUSY_SECONDS)
    engine = create_engine(
        url,
        # Write transactions take the site's write lock and BEGIN IMMEDIATE
        # (app.sqlite_writes): no sleeping in SQLite's busy handler.
        connect_args={"check_same_thread": False, "factory": LockingConnection},
        pool_size=pool_size,
        max_overflow=pool_size,
    )

    def connected(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        _sqlite_pragmas(dbapi_connection, record)
        if isinstance(dbapi_connection, LockingConnection):
            dbapi_connection.write_lock = lock

    event.listen(engine, "connect", connected)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """``pool_pre_ping``, but only for a connection that sat unused in the pool for a while:
    one that was handed back a moment ago is alive, and pinging it would cost a round trip on
    every request. A connection found dead (the server restarted, a proxy dropped it) is
    replaced before anyone uses it (the pool's ``DisconnectionError`` protocol)."""

    def unused_from_now(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["returned_at"] = time.monotonic()

    def handed_out(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        idle = time.monotonic() - record.info.get("returned_at", 0.0)
        if idle < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("a pooled connection was found closed") from error

    event.listen(engine, "connect", unused_from_now)  # a new connection is alive
    event.listen(engine, "checkin", unused_from_now)
    event.listen(engine, "checkout", handed_out)


def _keep_prepared_statements(dbapi_connection: DBAPIConnection, _record: object) -> None:
    """Every statement the site runs keeps its prepared form (psycopg keeps 100 by default,
    fewer than the site's statements, so a mixed load would prepare them again and again)."""
    dbapi_connection.prepared_max = 512


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
