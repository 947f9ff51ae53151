"""The query plans of a question page, on the database chosen.

    .venv/bin/python bench/query_plans.py [--database sqlite|postgresql] [--answers 10000]
                                          [--fresh] [--repeat 200]

Seeds the consultation of ``bench/question_page.py``, sends one signed-in request for the
question page (through the app, in process) while recording every statement it runs, and
prints each statement with its plan: ``EXPLAIN ANALYZE`` on PostgreSQL, ``EXPLAIN QUERY PLAN``
on SQLite (which has no ``ANALYZE`` of a single statement), and the statement's own median time
over ``--repeat`` runs with the same parameters on both. ``--fresh``: the page's answer list and
every answer's thread are superseded first (as replies to all of them would), so that the
list's queries and its replies' run as well (otherwise it comes from the cache and only the
page's own queries run). The statements come from a request after a warm-up one, so that
the per-process caches of what does not change are already filled, as on a serving worker.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text

from bench.profile_request import call, request_scope
from bench.question_page import open_database, production_env, seed


def record_statements(engine) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def before(_conn, _cursor, statement, parameters, _context, _many) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    return seen


def timed(engine, statement: str, parameters, repeat: int) -> float:
    """Median milliseconds of running ``statement`` alone (fetching every row)."""
    times = []
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for _ in range(repeat):
            cursor = raw.cursor()
            started = time.perf_counter()
            cursor.execute(statement, parameters)
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
            cursor.close()
        conn.rollback()
    return statistics.median(times)


def plan(engine, statement: str, parameters) -> list[str]:
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters)
            lines = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            depth: dict[int, int] = {0: -1}
            lines = []
            for node, parent, _unused, detail in cursor.fetchall():
                depth[node] = depth.get(parent, 0) + 1
                lines.append("  " * depth[node] + detail)
        cursor.close()
        conn.rollback()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or " ").splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reclaim-plans-")))
        url = open_database(stack, args.database, workdir)
        env = production_env(url, "http://127.0.0.1")
        data = seed(url, answers=args.answers, sessions=20, env=env)
        from app.main import create_app
        from app.ops import logs
        from app.settings import get_settings

        get_settings.cache_clear()
        logs.configure(get_settings(), stream=open(os.devnull, "w"))  # noqa: SIM115
        app = create_app()
        engine = app.state.engine
        raw, cookie, _token = data["sessions"][0]
        scope = request_scope(
            "GET",
            f"/consultations/{data['slug']}/questions/1",
            f"reclaim_session={raw}; reclaim_csrf={cookie}",
            None,
        )
        asyncio.run(call(app, dict(scope), b""))  # warm-up: the process's caches
        if args.fresh:
            with engine.begin() as conn:
                conn.execute(text("UPDATE question SET feed_version = feed_version + 1"))
                conn.execute(text("UPDATE contribution SET thread_version = thread_version + 1"))
        seen = record_statements(engine)
        status = asyncio.run(call(app, dict(scope), b""))
        statements = list(seen)
        print(f"{args.database}: question page {status}, {len(statements)} statements\n")
        for n, (statement, parameters) in enumerate(statements, start=1):
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                print(f"-- {n}. (not a read) {statement.split()[0]}\n")
                continue
            median = timed(engine, statement, parameters, args.repeat)
            print(f"-- {n}. median {median:.3f} ms over {args.repeat} runs")
            print("   " + " ".join(statement.split())[:300])
            for line in plan(engine, statement, parameters):
                print("   | " + line)
            print()


if __name__ == "__main__":
    main()
