"""SQLite's one writer at a time, taken up front and waited for without sleeping.

SQLite lets one connection write at a time. A connection that finds the write lock taken calls
its busy handler, which sleeps and tries again, sleeping longer each time (1, 2, 5, 10 … then
100 ms at a stretch), however soon the lock is released: under a burst of posts the unlucky
ones slept hundreds of milliseconds while the database stood idle (``bench/question_page.py``:
posting p99 of 300–600 ms).

Here every write transaction first takes the site's own write lock, which a waiter gets the
moment it is released:

- within a process, a ``threading.Lock`` (one writer thread at a time, the others wait on it
  with a time-out, as SQLite's busy time-out would have them);
- between processes (the web workers, ``reclaim worker``, a CLI command), an exclusive
  ``flock`` on a file beside the database (``<database>.write-lock``), which the kernel hands
  to the next waiter as soon as it is released, and releases by itself if its holder dies;

then opens the transaction with ``BEGIN IMMEDIATE``, so that SQLite's lock is taken at the
start, never half-way through (where a deferred transaction that had read could only fail).
Reads take no lock at all (WAL). SQLite's busy time-out stays, for writers that are not Reclaim
(the ``sqlite3`` shell, say).

A transaction is a write when its first statement is an ``INSERT``, ``UPDATE``, ``DELETE`` or
``REPLACE``: the same test by which Python's ``sqlite3`` opens a transaction before a statement.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

WRITES = ("insert", "update", "delete", "replace")


def begins_write(sql: str) -> bool:
    return sql.lstrip()[:7].lower().startswith(WRITES)


# One lock per database file and process, whichever engines use it: the operating system's
# lock is per process too, and two engines of one process on the same file (a test's and its
# site's) then wait for each other with a time-out instead of blocking in the kernel.
_LOCKS: dict[str, WriteLock] = {}
_LOCKS_GUARD = threading.Lock()


def write_lock_for(database: str | None, *, timeout: float) -> WriteLock:
    """This process's write lock of ``database`` (``None``: a database in memory)."""
    key = "" if database is None else os.path.realpath(database)
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = WriteLock(Path(key) if key else None, timeout=timeout)
        return lock


class WriteLock:
    """The write lock of one database file, for every connection of this process.

    Between processes it is two ``flock``s: the lock itself, and a turnstile taken before
    it and released once it is held. A process whose writer is waiting for the lock holds
    the turnstile, so the process that holds the lock cannot take it again at once for its
    next writer: the lock goes to the waiting process, and the processes take turns instead
    of one of them keeping it for as long as it has writers queued (which the kernel, waking
    a waiter but letting whoever asks first have the lock, would otherwise allow)."""

    def __init__(self, database: Path | None, *, timeout: float) -> None:
        self.paths = (
            None
            if database is None
            else (Path(f"{database}.write-lock"), Path(f"{database}.write-turn"))
        )
        self.timeout = timeout
        self._threads = threading.Lock()
        self._fds: tuple[int, int] | None = None
        self._pid = 0

    def _files(self) -> tuple[int, int] | None:
        """This process's descriptors of the lock files (a process forked from this one opens
        its own: an inherited descriptor would share the lock instead of contending)."""
        if self.paths is None:
            return None
        if self._fds is None or self._pid != os.getpid():
            flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
            lock, turn = (os.open(path, flags, 0o600) for path in self.paths)
            self._fds, self._pid = (lock, turn), os.getpid()
        return self._fds

    def acquire(self) -> None:
        if not self._threads.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked (waited for another writer)")
        try:
            files = self._files()
            if files is not None:
                lock, turn = files
                # Each blocks in the kernel, GIL released, until the other process's
                # transaction ends (its few statements: nobody holds it across a request's
                # other work); the turnstile only until the lock is taken.
                fcntl.flock(turn, fcntl.LOCK_EX)
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                finally:
                    fcntl.flock(turn, fcntl.LOCK_UN)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        try:
            if self._fds is not None and self._pid == os.getpid():
                fcntl.flock(self._fds[0], fcntl.LOCK_UN)
        finally:
            self._threads.release()


class LockingCursor(sqlite3.Cursor):
    connection: LockingConnection

    def execute(self, sql: str, parameters: Any = (), /) -> LockingCursor:
        return self._run(super().execute, sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> LockingCursor:
        return self._run(super().executemany, sql, parameters)

    def _run(self, method: Any, sql: str, parameters: Any) -> LockingCursor:
        self.connection.before(sql)
        try:
            method(sql, parameters)
        finally:
            self.connection.after()
        return self


class LockingConnection(sqlite3.Connection):
    """A ``sqlite3`` connection whose write transactions hold ``write_lock`` (set when it
    connects, ``app.db``) from their ``BEGIN IMMEDIATE`` to their commit or rollback."""

    write_lock: WriteLock | None = None
    _holding = False

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or LockingCursor)

    def before(self, sql: str) -> None:
        """Before a statement: a write that would open a transaction takes the lock first,
        and opens it with ``BEGIN IMMEDIATE`` (unless the connection is in autocommit)."""
        if self._holding and not self.in_transaction:
            self._release()  # the transaction ended without a commit or a rollback call
        if self._holding or self.in_transaction or self.write_lock is None:
            return
        if not begins_write(sql):
            return
        self.write_lock.acquire()
        self._holding = True
        if self.isolation_level is not None:
            try:
                super().execute("BEGIN IMMEDIATE")
            except BaseException:
                self._release()
                raise

    def after(self) -> None:
        """After a statement: in autocommit, a write is over as soon as it ran."""
        if self._holding and not self.in_transaction and self.isolation_level is None:
            self._release()

    def _release(self) -> None:
        self._holding = False
        if self.write_lock is not None:
            self.write_lock.release()

    def _ended(self) -> None:
        if self._holding and not self.in_transaction:
            self._release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._ended()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._ended()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._holding:
                self._release()
