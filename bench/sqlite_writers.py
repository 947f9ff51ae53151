"""SQLite writers meeting: Reclaim's write lock against SQLite's sleeping busy handler.

    .venv/bin/python bench/sqlite_writers.py [--processes 2] [--threads 4] [--seconds 10]

Several processes (as the web workers are), each with several threads (as each worker's thread
pool is), commit small write transactions of the shape of a post as fast as they can: read,
update a counter, insert a row, commit, on one SQLite file in WAL mode. Run twice: with the
connections of ``app.db.make_engine`` (a write takes the site's write lock, then
``BEGIN IMMEDIATE``), and with plain connections as before (``BEGIN`` deferred, SQLite's busy
time-out of 5 s, whose handler sleeps 1, 2, 5 … 100 ms between tries). Prints transactions per
second and the latency of a transaction (median, p99, max) for each. Little CPU is spent per
transaction, so what differs is how long writers wait for each other.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, text

from app.db import _sqlite_pragmas, make_engine


def engine_for(url: str, kind: str):
    if kind == "lock":
        return make_engine(url, pool_size=8)
    engine = create_engine(
        url, connect_args={"check_same_thread": False}, pool_size=8, max_overflow=8
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def writer(url: str, kind: str, threads: int, seconds: float, start_at: float, queue) -> None:
    engine = engine_for(url, kind)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def work(n: int) -> None:
        mine = []
        while time.time() < start_at:
            time.sleep(0.001)
        deadline = start_at + seconds
        i = 0
        while time.time() < deadline:
            started = time.perf_counter()
            try:
                with engine.begin() as conn:
                    conn.execute(text("SELECT n FROM total WHERE id = 1")).scalar()
                    conn.execute(text("UPDATE total SET n = n + 1 WHERE id = 1"))
                    conn.execute(text("INSERT INTO tally VALUES (:who, :n)"), {"who": n, "n": i})
            except Exception:
                with lock:
                    errors[0] += 1
            mine.append(time.perf_counter() - started)
            i += 1
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    engine.dispose()
    queue.put((latencies, errors[0]))


def run(kind: str, processes: int, threads: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="reclaim-writers-") as workdir:
        url = f"sqlite:///{workdir}/w.db"
        with make_engine(url).begin() as conn:
            conn.execute(text("CREATE TABLE total (id INTEGER PRIMARY KEY, n INTEGER)"))
            conn.execute(text("CREATE TABLE tally (who INTEGER, n INTEGER)"))
            conn.execute(text("INSERT INTO total VALUES (1, 0)"))
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        start_at = time.time() + 2.0  # every process started and connected by then
        workers = [
            context.Process(target=writer, args=(url, kind, threads, seconds, start_at, queue))
            for _ in range(processes)
        ]
        for process in workers:
            process.start()
        latencies: list[float] = []
        errors = 0
        for _ in workers:
            mine, failed = queue.get(timeout=seconds + 60)
            latencies.extend(mine)
            errors += failed
        for process in workers:
            process.join()
    latencies.sort()
    ms = [x * 1000 for x in latencies]
    p99 = ms[int(len(ms) * 0.99)]
    print(
        f"{kind:<6} {len(ms) / seconds:>8.0f} transactions/s   median {statistics.median(ms):6.2f} ms"
        f"   p99 {p99:7.2f} ms   max {ms[-1]:7.1f} ms   errors {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or " ").splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    print(f"{args.processes} processes × {args.threads} threads, {args.seconds:.0f} s each")
    for kind in ("lock", "busy"):
        run(kind, args.processes, args.threads, args.seconds)


if __name__ == "__main__":
    main()
