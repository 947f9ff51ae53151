"""A post takes the rows that other people's posts wait for as late as it can: the poster's own
rate-limit counter and what a reply reads come before the answer's and the question's rows
(PostgreSQL holds a row lock until the commit; every reply and edit on a question updates the
question's row through the triggers). Checked by the order of the statements sent, on both
databases."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import Session

from app.consultations import catalogue
from app.participation import commands
from app.ratelimit.limiter import Limit, RateLimiter
from kernel.clock import utcnow
from tests.factories import make_consultation, make_post, make_user


@pytest.fixture
def sent(session: Session):
    statements: list[str] = []

    def record(conn, cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()).lower())

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    yield statements
    event.remove(connection, "before_cursor_execute", record)


@pytest.fixture
def limit(session: Session) -> Limit:
    return Limit(RateLimiter(session.get_bind()), "post", "1000/hour", "Too many.")


def _first(statements: list[str], start: str) -> int:
    return next(i for i, s in enumerate(statements) if s.startswith(start))


def test_a_reply_inserts_itself_last(session: Session, sent, limit) -> None:
    answer = make_post(session, text="An answer to reply to.")
    replier = make_user(session)
    session.flush()
    sent.clear()
    commands.reply_at(
        session,
        answer_id=answer.id,
        author=replier,
        text="A reply that agrees with it.",
        now=utcnow(),
        limit=limit,
    )
    session.flush()
    counter = _first(sent, "insert into rate_limit_counter")
    answer_row = _first(sent, "update contribution")
    recipients = _first(sent, "select distinct account.id")
    reply_row = _first(sent, "insert into contribution")
    assert counter < answer_row < recipients < reply_row
    # Whether the answer's author blocked the replier is read with the answer, not apart.
    assert not [s for s in sent if s.startswith("select participant_block")]


def test_an_edit_counts_before_it_writes_the_answer(session: Session, sent, limit) -> None:
    consultation = make_consultation(session, questions=1)
    author = make_user(session)
    make_post(session, author=author, consultation=consultation, text="My first thoughts.")
    session.flush()
    sent.clear()
    question = catalogue.get_question(session, consultation, 1)
    commands.submit_answer(
        session,
        consultation=consultation,
        question=question,
        author=author,
        stance="agree",
        text="My second thoughts.",
        publish=None,
        now=utcnow(),
        limit=limit,
    )
    session.flush()
    assert _first(sent, "insert into rate_limit_counter") < _first(sent, "update contribution")
