"""Rate limits (the ``limits`` library) with counters in the database, shared by every process.

A counter is written in its own short transaction, so an attempt that fails later in the
request still counts (sign-in attempts, reports). ``hit(..., connection=...)`` counts inside a
transaction of the caller's instead: posting counts a post in the transaction that stores it,
just before it commits, so a refused post is not stored and a post that was not stored (invalid
text) is not counted, and the post takes the database's write lock once instead of twice.
"""

from __future__ import annotations

import importlib
import math
import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from limits import RateLimitItem, parse
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Connection, Engine, bindparam, case, delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.ratelimit.models import RateLimitCounter
from kernel.errors import RateLimited

_connection: ContextVar[Connection | None] = ContextVar("rate_limit_connection", default=None)


class DatabaseStorage(Storage):
    """A fixed-window counter store on the app's own database (SQLite or PostgreSQL)."""

    STORAGE_SCHEME: ClassVar[list[str]] = ["reclaim+db"]

    def __init__(self, engine: Engine) -> None:
        super().__init__(uri=None)
        self.engine = engine
        self._upsert_statement = None

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def _upsert(self):
        """The counting statement, built once per storage: every rate-limited request runs it."""
        table = RateLimitCounter.__table__
        # The engine's own dialect module (already loaded by the engine): a SQLite site never
        # loads PostgreSQL's, which would cost each worker 2 MiB.
        dialect = importlib.import_module(f"sqlalchemy.dialects.{self.engine.dialect.name}")
        stmt = dialect.insert(table).values(
            key=bindparam("counter_key"), count=bindparam("amount"), expires_at=bindparam("expires")
        )
        expired = table.c.expires_at <= bindparam("now")
        return stmt.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": _case(expired, stmt.excluded.count, table.c.count + stmt.excluded.count),
                "expires_at": _case(expired, stmt.excluded.expires_at, table.c.expires_at),
            },
        ).returning(table.c.count)

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
        table = RateLimitCounter.__table__
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
            return conn.execute(delete(RateLimitCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(RateLimitCounter.__table__).where(RateLimitCounter.__table__.c.key == key)
            )


def _case(condition, when_true, when_false):
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
        unit = "minute" if minutes == 1 else "minutes"
        raise RateLimited(f"{message} Try again in {minutes} {unit}.", retry_after_seconds=seconds)


@dataclass(frozen=True)
class Limit:
    """One named limit, counted in the caller's transaction: a domain command counts the thing
    it stores (a post) just before it commits, so a refused one is not stored and one that was
    not stored (invalid input) is not counted."""

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
