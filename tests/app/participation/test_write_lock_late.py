"""A post writes nothing until its text is rendered and what it needs is read: on SQLite the
first write takes the database's one write lock until the commit, so everything a post can do
before it is done outside the lock (``app.sqlite_writes``). Checked by the order of the
statements the post sends, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import Session

from app.participation import commands
from app.sqlite_writes import begins_write
from kernel.clock import utcnow
from tests.factories import make_consultation, make_post, make_user


@pytest.fixture
def sent(session: Session, monkeypatch):
    """The statements sent on the session's connection, and those sent before each
    ``render_markdown`` of a post."""
    statements: list[str] = []
    before_render: list[list[str]] = []

    def record(conn, cursor, statement, *_args) -> None:
        statements.append(statement)

    real = commands.render_markdown

    def render(text: str, **kwargs) -> str:
        before_render.append(list(statements))
        return real(text, **kwargs)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    monkeypatch.setattr(commands, "render_markdown", render)
    yield statements, before_render
    event.remove(connection, "before_cursor_execute", record)


def test_an_edit_writes_nothing_before_its_text_is_rendered(session: Session, sent) -> None:
    statements, before_render = sent
    consultation = make_consultation(session, questions=1)
    author = make_user(session)
    make_post(session, author=author, consultation=consultation, text="My first thoughts.")
    session.flush()
    statements.clear()
    before_render.clear()
    make_post(session, author=author, consultation=consultation, text="My second thoughts.")
    session.flush()
    assert len(before_render) == 1
    assert [s for s in before_render[0] if begins_write(s)] == []
    assert any(begins_write(s) for s in statements)  # and the edit was written


def test_a_reply_writes_nothing_before_its_text_is_rendered(session: Session, sent) -> None:
    statements, before_render = sent
    answer = make_post(session, text="An answer to reply to.")
    replier = make_user(session)
    session.flush()
    statements.clear()
    before_render.clear()
    commands.reply_at(
        session,
        answer_id=answer.id,
        author=replier,
        text="A reply that agrees with it.",
        now=utcnow(),
    )
    session.flush()
    assert len(before_render) == 1
    assert [s for s in before_render[0] if begins_write(s)] == []
    assert any(begins_write(s) for s in statements)
