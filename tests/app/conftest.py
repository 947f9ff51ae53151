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
