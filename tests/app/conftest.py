"""Fixtures for the site's tests (analysis and routes alike).

Exports stream from their own session; in tests it joins the test's transaction."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.accounts.models import Role
from app.routes.exports import export_sessions
from kernel.hooks import session_info
from tests.factories import make_user, sign_in


@pytest.fixture
def app(app, connection, site):
    """Exports stream from a session of their own: bind it to the test's transaction."""

    def bound():
        return lambda: Session(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
            info=session_info(site.hooks),
        )

    app.dependency_overrides[export_sessions] = bound
    return app


@pytest.fixture
def organiser_client(client, outbox, session):
    """The test client, signed in as an organiser (organiser@example.test)."""
    make_user(
        session, roles={Role.organiser}, pseudonym="Organiser1", email="organiser@example.test"
    )
    sign_in(client, outbox, "organiser@example.test")
    outbox.clear()
    return client


@pytest.fixture
def worker_sessions(connection, site):
    """What a background worker has: a factory of sessions of its own, each committing (here
    to a savepoint inside the test's transaction)."""
    from contextlib import contextmanager

    @contextmanager
    def factory():
        with Session(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
            info=session_info(site.hooks),
        ) as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    return factory


@pytest.fixture
def cli_database(tmp_path, monkeypatch):
    """A migrated SQLite file that the `reclaim` command will use (its settings come from the
    environment); yields an engine on it, to fill it first."""
    from app.db import make_engine
    from app.migrate import upgrade
    from app.settings import get_settings

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    monkeypatch.setenv("RECLAIM_DATABASE_URL", url)
    monkeypatch.setenv("RECLAIM_ENVIRONMENT", "test")
    get_settings.cache_clear()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    get_settings.cache_clear()
