"""``kernel.reads.columns``: the rows ``Session.execute`` would give, in the session's own
transaction, with what the session has pending flushed first (on SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlmodel import col, select

from app.accounts.models import User
from kernel.reads import columns
from tests.factories import make_user


def _pseudonyms(ids: list[int]):
    return select(col(User.id), col(User.pseudonym)).where(col(User.id).in_(ids)).order_by(User.id)


def test_the_same_rows_as_session_execute(session) -> None:
    people = [make_user(session, pseudonym=f"Reader{n}") for n in range(3)]
    statement = _pseudonyms([p.id for p in people])
    assert columns(session, statement).all() == session.execute(statement).all()
    assert [row.pseudonym for row in columns(session, statement)] == [
        "Reader0",
        "Reader1",
        "Reader2",
    ]


def test_a_change_not_yet_flushed_is_read(session) -> None:
    person = make_user(session, pseudonym="Before")
    session.flush()
    person.pseudonym = "After"  # pending: only a flush sends it
    assert columns(session, _pseudonyms([person.id])).one().pseudonym == "After"


def test_without_autoflush_nothing_is_flushed(session) -> None:
    person = make_user(session, pseudonym="Kept")
    session.flush()
    with session.no_autoflush:
        person.pseudonym = "Unsent"
        assert columns(session, _pseudonyms([person.id])).one().pseudonym == "Kept"
        assert session.is_modified(person)


def test_bound_parameters(session) -> None:
    from sqlalchemy import bindparam

    person = make_user(session, pseudonym="Bound")
    statement = select(col(User.pseudonym)).where(col(User.id) == bindparam("user_id"))
    assert columns(session, statement, {"user_id": person.id}).scalar_one() == "Bound"
