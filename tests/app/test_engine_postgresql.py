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
