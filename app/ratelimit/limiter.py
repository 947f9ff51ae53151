"""Rate limits (the ``limits`` library) with counters in the database, shared by every process.

A counter is written in its own short transaction, so an attempt that fails later in the
request still counts (sign-in attempts, reports). ``hit(..., connection=...)`` counts inside a
transaction of the caller's instead: posting counts a post in the transaction that stores it,
just before it commits, so a refused post is not stored and a post that was not stored (invalid
text) is not counted, and the post takes the database's write lock once instead of twice.
"""

from __future__ import annotations

import math
import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, TypeVar

from limits import RateLimitItem, parse
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import (
    Case,
    ColumnElement,
    Connection,
    Engine,
    Executable,
    bindparam,
    case,
    delete,
    select,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from app.ratelimit.models import RateLimitCounter
from kernel.errors import RateLimited
from kernel.plurals import plural
from kernel.rows import conflict_insert

_connection: ContextVar[Connection | None] = ContextVar("rate_limit_connection", default=None)
# The Core table behind ``RateLimitCounter`` (SQLModel's types do not declare ``__table__``).
_COUNTERS = SQLModel.metadata.tables[RateLimitCounter.__tablename__]
_T = TypeVar("_T")


class DatabaseStorage(Storage):
    """A fixed-window counter store on the app's own database (SQLite or PostgreSQL)."""

    # limits declares this as an instance attribute, but its registry (a metaclass) reads it
    # from the class body: a class variable is what it is.
    STORAGE_SCHEME: ClassVar[list[str]] = ["reclaim+db"]  # type: ignore[misc]

    def __init__(self, engine: Engine) -> None:
        super().__init__(uri=None)
        self.engine = engine
        self._upsert_statement: Executable | None = None

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def _upsert(self) -> Executable:
        """The counting statement, built once per storage: every rate-limited request runs it."""
        table = _COUNTERS
        stmt = conflict_insert(self.engine, table).values(
            key=bindparam("counter_key"), count=bindparam("amount"), expires_at=bindparam("expires")
        )
        expired = table.c.expires_at <= bindparam("now")
        upsert: Executable = stmt.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": _case(expired, stmt.excluded.count, table.c.count + stmt.excluded.count),
                "expires_at": _case(expired, stmt.excluded.expires_at, table.c.expires_at),
            },
        ).returning(table.c.count)
        return upsert

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        if self._upsert_statement is None:
            self._upsert_statement = self._upsert()
        params = {
            "counter_key": key,
            "amount": amount,
            "now": datetime.now(UTC),
            "expires": datetime.fromtimestamp(time.time() + expiry, UTC),
        }
        shared = _connection.get()
        if shared is not None:
            return int(shared.execute(self._upsert_statement, params).scalar_one())
        with self.engine.begin() as conn:
            return int(conn.execute(self._upsert_statement, params).scalar_one())

    def _row(self, key: str) -> tuple[int, datetime] | None:
        table = _COUNTERS
        with self.engine.connect() as conn:
            row = conn.execute(
                select(table.c.count, table.c.expires_at).where(table.c.key == key)
            ).first()
        if row is None:
            return None
        count, expires_at = row
        if expires_at <= datetime.now(UTC):
            return None
        return count, expires_at

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1].timestamp() if row else time.time()

    def check(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(select(1))
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(delete(_COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(_COUNTERS).where(_COUNTERS.c.key == key))


def _case(
    condition: ColumnElement[bool], when_true: ColumnElement[_T], when_false: ColumnElement[_T]
) -> Case[_T]:
    return case((condition, when_true), else_=when_false)


class RateLimiter:
    """Named limits from settings, e.g. ``limiter.hit("sign_in", "5/15 minutes", ip)``."""

    def __init__(self, engine: Engine) -> None:
        self.strategy = FixedWindowRateLimiter(DatabaseStorage(engine))
        self._items: dict[str, RateLimitItem] = {}

    def _item(self, spec: str) -> RateLimitItem:
        item = self._items.get(spec)
        if item is None:
            item = self._items[spec] = parse(spec)
        return item

    def hit(
        self,
        name: str,
        spec: str,
        *identifiers: str,
        message: str,
        connection: Connection | None = None,
    ) -> None:
        """Count one attempt; raise ``RateLimited`` (with when to try again) over the limit.

        With ``connection``, the count is written in that connection's transaction."""
        item = self._item(spec)
        token = _connection.set(connection)
        try:
            allowed = self.strategy.hit(item, name, *identifiers)
        finally:
            _connection.reset(token)
        if allowed:
            return
        reset_at, _remaining = self.strategy.get_window_stats(item, name, *identifiers)
        seconds = max(1, math.ceil(reset_at - time.time()))
        minutes = max(1, math.ceil(seconds / 60))
        again = plural(minutes, "Try again in {n} minute.", "Try again in {n} minutes.")
        raise RateLimited(f"{message} {again}", retry_after_seconds=seconds)


@dataclass(frozen=True)
class Limit:
    """One named limit, counted in the caller's transaction: a domain command counts the thing
    it stores (a post) once its input is checked and before the rows other people's requests
    wait for, so a refused one is not stored and one that was not stored (invalid input) is
    not counted."""

    limiter: RateLimiter
    name: str
    spec: str
    message: str

    def count(self, session: Session, *identifiers: str) -> None:
        self.limiter.hit(
            self.name,
            self.spec,
            *identifiers,
            message=self.message,
            connection=session.connection(),
        )
