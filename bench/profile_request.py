"""Time one kind of request inside the process, without HTTP, and optionally profile it.

    .venv/bin/python bench/profile_request.py [page|list|thread|reply|hello] [--requests 2000]
                                               [--replies 5] [--profile]
                                               [--database sqlite|postgresql]

``list`` is the question page just after its answers changed (its cached list superseded before
each request, as a reply elsewhere on the page would), with ``--replies`` replies on each answer
of the page: what a page costs when it cannot be served from the cache. ``thread`` is the htmx fragment of
an answer's replies (its first page of them), the answers on question 1's first page each given
``--replies`` replies, taken in turn: what the mixed load's reply fragments cost as their
threads grow.

Seeds the same consultation as ``bench/question_page.py`` (fewer answers by default), builds the
app with production settings and calls it as an ASGI application, so the figure is the
application's own cost per request: no server, no sockets, no load generator. ``--profile``
prints the functions with the most cumulative time (cProfile). On PostgreSQL the CPU figure is
this process's alone; the wall time includes the database's share (its round trips).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.question_page import open_database, production_env, seed


def request_scope(method: str, path: str, cookie: str, token: str | None) -> dict:
    headers = [(b"host", b"127.0.0.1"), (b"cookie", cookie.encode())]
    if method == "POST":
        headers += [
            (b"x-csrf-token", token.encode()),
            (b"content-type", b"application/x-www-form-urlencoded"),
        ]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }


async def call(app, scope: dict, body: bytes) -> int:
    status = 0
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def run(app, kind: str, data: dict, requests: int) -> float:
    sessions = data["sessions"]
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(requests):
        raw, cookie, token = sessions[n % len(sessions)]
        cookies = f"reclaim_session={raw}; reclaim_csrf={cookie}"
        if kind == "hello":
            scope, body = request_scope("GET", "/hello", cookies, None), b""
        elif kind == "thread":
            answer = data["threads"][n % len(data["threads"])]
            scope = request_scope("GET", f"/answers/{answer}", cookies, None)
            scope["headers"] += [
                (b"hx-request", b"true"),
                (b"hx-target", f"replies-{answer}".encode()),
            ]
            body = b""
        elif kind in ("page", "list"):
            if kind == "list":
                data["supersede"]()
            scope = request_scope(
                "GET", f"/consultations/{data['slug']}/questions/1", cookies, None
            )
            body = b""
        else:
            answer = data["answer_ids"][n % len(data["answer_ids"])]
            scope = request_scope("POST", f"/answers/{answer}/replies", cookies, token)
            body = f"text=Reply+number+{n}+on+the+evidence+point.".encode()
        status = await call(app, scope, body)
        if status >= 400:
            raise SystemExit(f"{kind} request failed with {status}")
    return (
        (time.perf_counter() - started) / requests * 1000,
        (time.process_time() - cpu) / requests * 1000,
    )


def long_threads(app, url: str, data: dict, replies: int):
    """Give each answer on question 1's first page ``replies`` replies (posted through the
    app); return what supersedes that question's cached list (a change to its answers), and
    those answers' ids."""
    from sqlalchemy import text

    from app.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        first = conn.execute(
            text(
                "SELECT id FROM contribution WHERE kind = 'answer' AND question_id = "
                "(SELECT min(id) FROM question) ORDER BY created_at DESC, id DESC LIMIT 50"
            )
        ).scalars()
        answers = list(first)
    raw, cookie, token = data["sessions"][0]

    async def post() -> None:
        for answer in answers:
            for n in range(replies):
                scope = request_scope(
                    "POST",
                    f"/answers/{answer}/replies",
                    f"reclaim_session={raw}; reclaim_csrf={cookie}",
                    token,
                )
                await call(app, scope, f"text=Reply+{n}+on+this+answer.".encode())

    asyncio.run(post())

    def supersede() -> None:
        with engine.begin() as conn:
            conn.execute(text("UPDATE question SET feed_version = feed_version + 1"))

    return supersede, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or " ").splitlines()[0])
    parser.add_argument("kind", choices=["page", "list", "thread", "reply", "hello"])
    parser.add_argument(
        "--replies", type=int, default=5, help="per answer, for 'list' and 'thread'"
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--inline",
        action="store_true",
        help="run sync dependencies and endpoints on the event loop instead of "
        "the thread pool (shows what the thread hops cost; the profile "
        "then sees their work)",
    )
    args = parser.parse_args()
    with ExitStack() as stack:
        workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="reclaim-profile-"))
        url = open_database(stack, args.database, Path(workdir))
        env = production_env(url, "http://127.0.0.1")
        data = seed(url, answers=args.answers, sessions=200, env=env)
        if args.inline or args.profile:
            import anyio.to_thread

            async def inline(func, *call_args, **_kwargs):
                return func(*call_args)

            anyio.to_thread.run_sync = inline
        from app.main import create_app
        from app.ops import logs
        from app.settings import get_settings

        get_settings.cache_clear()
        # Logged as in production (a JSON line per request), to nowhere: the cost is counted.
        logs.configure(get_settings(), stream=open(os.devnull, "w"))  # noqa: SIM115
        app = create_app()
        if args.kind in ("list", "thread"):
            data["supersede"], data["threads"] = long_threads(app, url, data, args.replies)
        asyncio.run(run(app, args.kind, data, 200))  # warm up: imports, caches, templates
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
        per_request, cpu = asyncio.run(run(app, args.kind, data, args.requests))
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
        print(
            f"{args.kind}: {per_request:.3f} ms per request in process, {cpu:.3f} ms of CPU "
            f"({1000 / cpu:.0f} per second per core)"
        )


if __name__ == "__main__":
    main()
