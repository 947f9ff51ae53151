"""Changing rows that two people can change at the same moment.

A check in Python followed by a write ("is it still pending? then approve it") lets two
requests both pass the check before either writes. Every such change is made one of three
ways instead, and the database decides who was first:

- ``transition``: ``UPDATE … WHERE id = :id AND <the state it must still be in>``; the row
  count says whether this request made the change. Of two at once, PostgreSQL makes the second
  wait for the first to commit and then re-checks the condition, which no longer holds; SQLite
  has one writer at a time, and the second's statement starts after the first committed.
- ``insert_once``: ``INSERT … ON CONFLICT DO NOTHING`` on a unique key; the row count says
  whether this request's row was stored, without an ``IntegrityError`` (which would otherwise
  end the transaction, or show the person an error page).
- ``lock_row``: for a change made of several statements (code an answer: its evaluation, its
  coding row, its tags), take the row's lock first, so that the second request's reads wait
  until the first has committed and then see what it wrote.

The loser gets a ``DomainError`` (a 409 ``Conflict`` for most) and writes nothing: its caller's
transaction is rolled back.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ColumnElement, Engine, Table, false, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel

from kernel.errors import DomainError

if TYPE_CHECKING:  # the type only: a PostgreSQL site never loads SQLite's dialect
    from sqlalchemy.dialects.sqlite import Insert


def _table(model: type[SQLModel] | Table) -> Table:
    if isinstance(model, Table):
        return model
    return SQLModel.metadata.tables[str(model.__tablename__)]


def _key(table: Table) -> Column[Any]:
    """The table's one primary-key column."""
    (column,) = table.primary_key.columns
    return column


def transition(
    session: Session,
    model: type[SQLModel],
    row_id: int,
    *,
    when: Iterable[ColumnElement[bool]],
    values: Mapping[str, Any],
    refused: DomainError,
) -> None:
    """Set ``values`` on the row if it still meets every condition of ``when``; raise
    ``refused`` if it does not (another request changed it first). Objects of that row held
    by the session get the new values."""
    result = session.execute(
        update(model)
        .where(_key(_table(model)) == row_id, *when)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise refused


def conflict_insert(bind: Session | Engine, table: type[SQLModel] | Table) -> Insert:
    """An ``INSERT`` into ``table`` that can say what to do ``ON CONFLICT``, in the dialect of
    ``bind`` (a session or an engine): the one place that chooses between SQLite's and
    PostgreSQL's. Both offer ``on_conflict_do_nothing`` and ``on_conflict_do_update`` with the
    same keyword arguments (typed here as SQLite's)."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    dialect = importlib.import_module(f"sqlalchemy.dialects.{engine.dialect.name}")
    statement: Insert = dialect.insert(_table(table))
    return statement


def insert_once(
    session: Session,
    model: type[SQLModel],
    values: Mapping[str, Any],
    *,
    unique: Sequence[str],
) -> int | None:
    """Insert a row unless one with the same ``unique`` columns exists (or is being inserted
    by another transaction, which this one then waits for): the new row's id, or ``None``."""
    table = _table(model)
    statement = (
        conflict_insert(session, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(unique))
        .returning(_key(table))
    )
    row = session.execute(statement).first()
    return None if row is None else int(row[0])


def lock_row(session: Session, model: type[SQLModel] | Table, row_id: int) -> bool:
    """Hold the row's lock until this transaction ends (whether it exists).

    PostgreSQL: ``SELECT … FOR UPDATE``. SQLite locks the whole database for writing, which a
    write statement takes when it starts, even one that changes nothing (so no trigger runs):
    later reads in this transaction then see every commit made before it."""
    table = _table(model)
    key = _key(table)
    if session.get_bind().dialect.name == "postgresql":
        found = session.execute(sa_select(key).where(key == row_id).with_for_update()).first()
        return found is not None
    session.execute(update(table).where(false()).values({key.name: key}))
    return session.execute(sa_select(key).where(key == row_id)).first() is not None
