"""Reading a whole table in batches by its key, so memory stays flat however long it is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from sqlalchemy import Row as SQLRow
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

Row = TypeVar("Row", bound=SQLModel)


def keyset_batches(
    session: Session, table: type[Row], key: str, *, batch: int, expunge: bool = False
) -> Iterator[Row]:
    """Every row of ``table`` in ascending order of its integer column ``key``, ``batch`` at a
    time (keyset pagination: each batch starts after the last key seen, so it is an index range
    scan, never an OFFSET). ``expunge`` drops each batch from the session once it is read."""
    column = col(getattr(table, key))
    last = 0
    while True:
        rows = session.exec(select(table).where(column > last).order_by(column).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = getattr(rows[-1], key)
        if expunge:
            session.expunge_all()


def keyset_rows(
    session: Session,
    columns: tuple[Any, ...],
    key: Any,
    *,
    batch: int,
) -> Iterator[SQLRow[Any]]:
    """Like ``keyset_batches`` for plain rows of ``columns`` (no objects, nothing kept in the
    session), in ascending order of the integer column ``key``, which must be among them.
    (Column expressions are typed ``Any``: SQLModel's ``col()`` gives ``Mapped`` attributes.)"""
    last = 0
    while True:
        rows = session.execute(
            sa_select(*columns).where(key > last).order_by(key).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1]._mapping[key]
