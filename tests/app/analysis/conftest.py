"""Exports stream from their own session; in tests it joins the test's transaction."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.routes.exports import export_sessions


@pytest.fixture
def app(app, connection):
    def bound():
        return lambda: Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    app.dependency_overrides[export_sessions] = bound
    return app


@pytest.fixture
def organiser_client(client, outbox, session):
    from app.accounts.models import Role
    from tests.factories import make_user, sign_in

    make_user(
        session, roles={Role.organiser}, pseudonym="Organiser1", email="organiser@example.test"
    )
    sign_in(client, outbox, "organiser@example.test")
    outbox.messages.clear()
    return client
