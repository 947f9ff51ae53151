"""SQLite write transactions take Reclaim's write lock (a thread lock and a file lock) and
``BEGIN IMMEDIATE`` before their first write, so that writers never meet in SQLite's sleeping
busy handler: with the busy time-out at zero, where any meeting would fail at once, writers
in several threads and processes all succeed."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from app.db import make_engine
from app.sqlite_writes import WriteLock, begins_write


def engine_without_busy_wait(url: str) -> Engine:
    """The site's engine, but SQLite refuses at once when the write lock is taken."""
    engine = make_engine(url, pool_size=4)
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA busy_timeout=0"))
    return engine


def prepare(url: str) -> None:
    with make_engine(url).begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS tally (who TEXT, n INTEGER)"))
        conn.execute(text("CREATE TABLE IF NOT EXISTS total (id INTEGER PRIMARY KEY, n INT)"))
        conn.execute(text("INSERT OR IGNORE INTO total VALUES (1, 0)"))


def write_many(url: str, who: str, threads: int, each: int) -> list[str]:
    """``threads`` threads each committing ``each`` transactions that read and then write
    (the shape of a post: a read-modify-write of a counter, then an insert)."""
    engine = engine_without_busy_wait(url)
    errors: list[str] = []

    def work(n: int) -> None:
        for i in range(each):
            try:
                with engine.begin() as conn:
                    conn.execute(text("UPDATE total SET n = n + 1 WHERE id = 1"))
                    current = conn.execute(text("SELECT n FROM total WHERE id = 1")).scalar()
                    conn.execute(
                        text("INSERT INTO tally VALUES (:who, :n)"),
                        {"who": f"{who}-{n}-{i}", "n": current},
                    )
            except Exception as error:
                errors.append(repr(error))

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    engine.dispose()
    return errors


def _process(url: str, who: str, queue) -> None:
    queue.put(write_many(url, who, threads=4, each=40))


def test_writers_in_threads_and_processes_never_meet_in_sqlite(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    prepare(url)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    others = [context.Process(target=_process, args=(url, f"p{n}", queue)) for n in range(2)]
    for process in others:
        process.start()
    mine = write_many(url, "main", threads=4, each=40)
    results = [queue.get(timeout=120) for _ in others]
    for process in others:
        process.join(30)
    assert mine == [] and results == [[], []]
    with make_engine(url).connect() as conn:
        assert conn.execute(text("SELECT n FROM total")).scalar() == 3 * 4 * 40
        counts = conn.execute(text("SELECT count(*), count(DISTINCT n) FROM tally")).one()
    assert tuple(counts) == (480, 480)  # every transaction saw the one before it


def test_without_the_lock_the_same_writers_meet_in_sqlite(tmp_path) -> None:
    """The test above can fail: the same writers on plain connections, BEGIN deferred and no
    busy time-out, are refused as soon as two meet."""
    path = tmp_path / "plain.db"
    prepare(f"sqlite:///{path}")
    errors: list[str] = []

    def work() -> None:
        conn = sqlite3.connect(path, timeout=0, check_same_thread=False)
        for _ in range(100):
            try:
                conn.execute("UPDATE total SET n = n + 1 WHERE id = 1")
                conn.execute("SELECT n FROM total").fetchone()
                conn.execute("INSERT INTO tally VALUES ('x', 0)")
                conn.commit()
            except sqlite3.OperationalError as error:
                errors.append(str(error))
                conn.rollback()
        conn.close()

    workers = [threading.Thread(target=work) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert any("locked" in e for e in errors)


def test_the_lock_is_held_from_the_first_write_to_commit_and_rollback(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    prepare(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        conn.execute(text("SELECT n FROM total")).scalar()
        assert not raw._holding and not raw.in_transaction  # reads take nothing
        conn.execute(text("UPDATE total SET n = 5"))
        assert raw._holding and raw.in_transaction
        conn.commit()
        assert not raw._holding
        conn.execute(text("DELETE FROM tally"))
        assert raw._holding
        conn.rollback()
        assert not raw._holding
    # Autocommit: held for the statement only.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        raw = conn.connection.dbapi_connection
        conn.execute(text("UPDATE total SET n = 6"))
        assert not raw._holding and not raw.in_transaction
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM total")).scalar() == 6


def test_a_writer_waiting_too_long_is_refused_with_sqlites_own_error(tmp_path) -> None:
    lock = WriteLock(Path(tmp_path / "t.db"), timeout=0.2)
    lock.acquire()
    refused: list[Exception] = []

    def other() -> None:
        try:
            lock.acquire()
        except sqlite3.OperationalError as error:
            refused.append(error)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(10)
    lock.release()
    assert len(refused) == 1 and "locked" in str(refused[0])
    lock.acquire()  # free again once released
    lock.release()


@pytest.mark.parametrize(
    ("sql", "write"),
    [
        ("INSERT INTO x VALUES (1)", True),
        ("  update x set a = 1", True),
        ("\nDELETE FROM x", True),
        ("REPLACE INTO x VALUES (1)", True),
        ("SELECT * FROM x", False),
        ("WITH a AS (SELECT 1) SELECT * FROM a", False),
        ("PRAGMA foreign_keys=ON", False),
    ],
)
def test_writes_are_told_by_their_first_word_as_sqlite3_does(sql, write) -> None:
    assert begins_write(sql) is write
