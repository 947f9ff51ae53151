"""PostgreSQL: statements the site runs again are prepared on the server (parsed and planned
once per connection, from their second run)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.db import make_engine


def test_a_statement_run_twice_is_prepared_on_the_server(backend, database_url) -> None:
    if backend != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    engine = make_engine(database_url, pool_size=1)
    try:
        with engine.connect() as conn:
            probe = text("SELECT count(*) FROM question WHERE id > :floor")
            for _ in range(2):
                conn.execute(probe, {"floor": 0}).scalar()
            prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars()
            assert any("FROM question WHERE id >" in s for s in prepared)
    finally:
        engine.dispose()


def test_a_connection_used_a_moment_ago_is_not_pinged_but_an_idle_dead_one_is_replaced(
    backend, database_url, monkeypatch
) -> None:
    if backend != "postgresql":
        pytest.skip("the pool's liveness check is PostgreSQL's (SQLite has no server)")
    from app import db

    engine = make_engine(database_url, pool_size=1)
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(1) or real_ping(conn))
    try:
        with engine.connect() as conn:
            first = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        for _ in range(5):  # hot: handed back a moment ago each time
            with engine.connect() as conn:
                assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == first
        assert pings == []
        # The server ends the pooled connection while it sits idle past the threshold.
        killer = make_engine(database_url, pool_size=1)
        with killer.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        killer.dispose()
        monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
        with engine.connect() as conn:  # pinged, found dead, replaced: no error reaches us
            second = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        assert pings and second != first
    finally:
        engine.dispose()
