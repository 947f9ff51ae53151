"""A post writes nothing until its text is rendered and what it needs is read: on SQLite the
first write takes the database's one write lock until the commit, so everything a post can do
before it is done outside the lock (``app.sqlite_writes``). And it takes the rows other
people's posts wait for as late as it can: the poster's own rate-limit counter, and what a
reply reads, come before the answer's and the question's rows (PostgreSQL holds a row lock
until the commit; every reply and edit on a question updates the question's row through the
triggers). Checked by the order of the statements the post sends, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import Session

from app.participation import commands
from app.ratelimit.limiter import Limit, RateLimiter
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


@pytest.fixture
def limit(session: Session) -> Limit:
    return Limit(RateLimiter(session.get_bind()), "post", "1000/hour", "Too many.")


def _reply(session: Session, answer_id: int, replier, limit: Limit | None = None) -> None:
    commands.reply_at(
        session,
        answer_id=answer_id,
        author=replier,
        text="A reply that agrees with it.",
        now=utcnow(),
        limit=limit,
    )
    session.flush()


def _first(statements: list[str], start: str) -> int:
    return next(i for i, s in enumerate(statements) if s.lower().startswith(start))


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
    _reply(session, answer.id, replier)
    assert len(before_render) == 1
    assert [s for s in before_render[0] if begins_write(s)] == []
    assert any(begins_write(s) for s in statements)


def test_a_reply_inserts_itself_last(session: Session, sent, limit) -> None:
    statements, _before_render = sent
    answer = make_post(session, text="An answer to reply to.")
    replier = make_user(session)
    session.flush()
    statements.clear()
    _reply(session, answer.id, replier, limit)
    counter = _first(statements, "insert into rate_limit_counter")
    answer_row = _first(statements, "update contribution")
    recipients = _first(statements, "select distinct account.id")
    reply_row = _first(statements, "insert into contribution")
    assert counter < answer_row < recipients < reply_row
    # Whether the answer's author blocked the replier is read with the answer, not apart.
    assert not [s for s in statements if s.lower().startswith("select participant_block")]


def test_an_edit_counts_before_it_writes_the_answer(session: Session, sent, limit) -> None:
    statements, _before_render = sent
    consultation = make_consultation(session, questions=1)
    author = make_user(session)
    make_post(session, author=author, consultation=consultation, text="My first thoughts.")
    session.flush()
    statements.clear()
    make_post(session, author=author, consultation=consultation, text="My second.", limit=limit)
    session.flush()
    counter = _first(statements, "insert into rate_limit_counter")
    assert counter < _first(statements, "update contribution")
