"""Load test of the public debate: a question page with 50 answers, posting, and a bare route.

    .venv/bin/python bench/question_page.py [--answers 10000] [--duration 20] [--connections 32]
                                             [--database sqlite|postgresql]

Seeds a consultation with 5 questions and N published answers (spread over the questions, with
replies), starts the site with production settings on 127.0.0.1 with 2 uvicorn workers, and
drives it with wrk on loopback. Prints one line per figure: requests per second, p50 and p99
latency, and the resident memory of each worker.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text

from app.accounts.models import User
from app.accounts.sessions import start_session
from app.accounts.users import create_user
from app.consultations import catalogue, organising
from app.db import make_engine, session_scope
from app.migrate import upgrade
from app.participation.models import Contribution, Response
from app.participation.text import render_markdown
from app.web.csrf import token_for
from kernel.clock import utcnow

WORDS = [
    "police",
    "training",
    "evidence",
    "platform",
    "report",
    "abuse",
    "victims",
    "law",
    "reform",
    "threat",
    "court",
    "order",
    "harassment",
    "support",
    "employer",
    "school",
    "young",
    "people",
    "moderation",
    "transparency",
]


def production_env(database_url: str, base_url: str) -> dict[str, str]:
    key = __import__("base64").urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return {
        "RECLAIM_ENVIRONMENT": "production",
        "RECLAIM_DATABASE_URL": database_url,
        "RECLAIM_SECRET_KEY": secrets.token_urlsafe(48),
        "RECLAIM_VAULT_KEYS": f"bench:{key}",
        "RECLAIM_BLIND_INDEX_KEY": __import__("base64")
        .urlsafe_b64encode(secrets.token_bytes(32))
        .decode(),
        "RECLAIM_BASE_URL": base_url,
        "RECLAIM_RATE_LIMIT_POSTING": "1000000/hour",
        # /hello, the ceiling every figure is compared with, is not served in production
        # unless asked for.
        "RECLAIM_BENCH_ROUTES": "true",
    }


def seed(database_url: str, *, answers: int, sessions: int, env: dict[str, str]) -> dict:
    """Bulk-load the consultation; return the slug, answer ids and signed-in sessions."""
    os.environ.update(env)
    from app.identity.vault import service
    from app.settings import get_settings

    get_settings.cache_clear()
    service._keyring.cache_clear()
    upgrade(database_url)
    engine = make_engine(database_url)
    rng = random.Random(1)
    now = utcnow()
    with session_scope(engine) as session:
        theme = organising.create_theme(session, slug="bench", name="Bench")
        consultation = organising.create_consultation(
            session,
            theme=theme,
            slug="bench-consultation",
            title="Bench consultation",
            summary="",
            introduction="Benchmark.",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            now=now,
            questions=[organising.NewQuestion(f"Question {i}?") for i in range(1, 6)],
        )
        question_ids = [q.id for q in catalogue.questions_of(session, consultation)]
        consultation_id = consultation.id
    users = [
        {
            "pseudonym": f"Bench{i:06d}",
            "roles": "citizen",
            "status": "active",
            "verification_level": "email",
            "created_at": now,
        }
        for i in range(answers)
    ]
    with engine.begin() as conn:
        conn.execute(insert(User), users)
        first = conn.execute(
            text("SELECT min(id) FROM account WHERE pseudonym LIKE 'Bench%'")
        ).scalar_one()
        ids = list(range(first, first + answers))
        conn.execute(
            insert(Response),
            [
                {
                    "consultation_id": consultation_id,
                    "respondent_id": uid,
                    "is_public": True,
                    "channel": "web",
                    "respondent_type": "individual",
                    "is_late": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for uid in ids
            ],
        )
        response_first = conn.execute(text("SELECT min(id) FROM response")).scalar_one()
        rows = []
        for n, uid in enumerate(ids):
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 80)))
            source = f"I think **{rng.choice(WORDS)}** matters. {body}."
            rows.append(
                {
                    "kind": "answer",
                    "question_id": question_ids[n % 5],
                    "response_id": response_first + n,
                    "author_id": uid,
                    "stance": rng.choice(["agree", "disagree", "neutral", "not_sure"]),
                    "source_text": source,
                    "html": render_markdown(source),
                    "is_public": True,
                    "state": "visible",
                    "reply_count": 0,
                    "created_at": now - timedelta(seconds=answers - n),
                    "updated_at": now,
                }
            )
        conn.execute(insert(Contribution), rows)
        answer_ids = [
            r[0]
            for r in conn.execute(
                text("SELECT id FROM contribution WHERE kind='answer' ORDER BY id")
            )
        ]
        replies = []
        for answer_id in rng.sample(answer_ids, k=len(answer_ids) // 4):
            for _ in range(rng.randint(1, 3)):
                src = " ".join(rng.choice(WORDS) for _ in range(12))
                replies.append(
                    {
                        "kind": "reply",
                        "question_id": question_ids[0],
                        "parent_id": answer_id,
                        "author_id": rng.choice(ids),
                        "source_text": src,
                        "html": render_markdown(src),
                        "is_public": True,
                        "state": "visible",
                        "reply_count": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        conn.execute(insert(Contribution), replies)
        conn.execute(
            text(
                "UPDATE contribution SET reply_count = (SELECT count(*) FROM contribution r "
                "WHERE r.parent_id = contribution.id) WHERE kind = 'answer'"
            )
        )
        # question_id of replies follows the parent's question
        conn.execute(
            text(
                "UPDATE contribution SET question_id = (SELECT p.question_id FROM contribution p "
                "WHERE p.id = contribution.parent_id) WHERE kind = 'reply'"
            )
        )
    secret = env["RECLAIM_SECRET_KEY"]
    signed_in = []
    with session_scope(engine) as session:
        for i in range(sessions):
            user = create_user(
                session,
                email=f"bench{i}@example.test",
                pseudonym=f"Poster{i:04d}",
                roles=set(),
                now=now,
            )
            raw = start_session(session, user=user, now=now)
            csrf_cookie = secrets.token_urlsafe(32)
            signed_in.append((raw, csrf_cookie, token_for(csrf_cookie, secret)))
    if engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load, done before measuring instead of during
        # it: the seeding wrote each question row once per answer, in one transaction, and
        # left its old versions behind, and no page is yet marked all-visible.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return {"slug": "bench-consultation", "answer_ids": answer_ids, "sessions": signed_in}


def lua_script(
    path: Path, *, method: str, sessions: list, bodies: list[str] | None, paths: list[str]
) -> None:
    lines = ["local s = {"]
    for raw, cookie, token in sessions:
        lines.append(f'  {{"reclaim_session={raw}; reclaim_csrf={cookie}", "{token}"}},')
    lines.append("}")
    lines.append("local p = {" + ",".join(f'"{p}"' for p in paths) + "}")
    if bodies:
        lines.append("local b = {" + ",".join(f'"{b}"' for b in bodies) + "}")
    lines.append("local n = 0")
    lines.append("request = function()")
    lines.append("  n = n + 1")
    lines.append("  local x = s[(n % #s) + 1]")
    lines.append("  local headers = {}")
    lines.append('  headers["Cookie"] = x[1]')
    if method == "POST":
        lines.append('  headers["X-CSRF-Token"] = x[2]')
        lines.append('  headers["Content-Type"] = "application/x-www-form-urlencoded"')
        lines.append('  return wrk.format("POST", p[(n % #p) + 1], headers, b[(n % #b) + 1])')
    else:
        lines.append('  return wrk.format("GET", p[(n % #p) + 1], headers)')
    lines.append("end")
    lines.append("done = function(summary, latency, requests)")
    lines.append('  local codes = summary["errors"]')
    lines.append('  io.write(string.format("non2xx3xx=%d\\n", codes["status"]))')
    lines.append("end")
    path.write_text("\n".join(lines))


LAT = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def wrk(
    url: str, *, script: Path | None, duration: int, connections: int, server: int | None = None
) -> dict:
    """One wrk run; with ``server`` (the server's pid), how many of wrk's connections each of
    its workers holds half-way through (``spread``)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    running = subprocess.Popen([*command, url], stdout=subprocess.PIPE, text=True)
    spread = None
    if server is not None:
        time.sleep(duration / 2)
        spread = connections_per_worker(server, int(url.rsplit(":", 1)[1].split("/")[0]))
    output, _ = running.communicate()
    if running.returncode:
        raise subprocess.CalledProcessError(running.returncode, command)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latencies = {}
    for pct, value, unit in LAT.findall(output):
        factor = {"us": 0.001, "ms": 1, "s": 1000}[unit]
        latencies[pct] = float(value) * factor
    bad = re.search(r"non2xx3xx=(\d+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50": latencies.get("50"),
        "p99": latencies.get("99"),
        "errors": int(non2xx.group(1)) if non2xx else int(bad.group(1)) if bad else 0,
        "spread": spread,
    }


def connections_per_worker(master_pid: int, port: int) -> list[int]:
    """Established connections to ``port`` held by each worker of the server (``ss``)."""
    workers = [pid for pid, _rss in worker_processes(master_pid)]
    out = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
    ).stdout
    held = re.findall(r"pid=(\d+)", out)
    return [held.count(str(pid)) for pid in workers]


def worker_processes(master_pid: int) -> list[tuple[int, float]]:
    """The server's worker processes: (pid, resident memory in MiB)."""
    children = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
    ).stdout.split()
    workers = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_text()
        if "multiprocessing" in cmdline and "resource_tracker" in cmdline:
            continue
        rss_kib = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        workers.append((int(pid), rss_kib / 1024))
    return workers


def worker_rss_mib(master_pid: int) -> list[float]:
    return [rss for _pid, rss in worker_processes(master_pid)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(server: subprocess.Popen) -> None:
    """Stop the server and its workers (its own process group: killing only the master, when
    it does not stop in time, would leave the workers running)."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(5)


@dataclass
class SeededSite:
    """A database seeded by ``seed`` and the settings to serve it with, for one benchmark."""

    workdir: Path
    database_url: str
    port: int
    base: str
    env: dict[str, str]
    data: dict
    seconds: float  # how long seeding took


def seeded_site(
    stack: ExitStack, database: str, *, answers: int, sessions: int, prefix: str
) -> SeededSite:
    """A fresh database of ``database`` seeded with ``answers`` and ``sessions`` (removed when
    ``stack`` closes), after checking that wrk is there to drive the site."""
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (scripts/install-test-deps.sh)")
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
    database_url = open_database(stack, database, workdir)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = production_env(database_url, base)
    started = time.perf_counter()
    data = seed(database_url, answers=answers, sessions=sessions, env=env)
    return SeededSite(workdir, database_url, port, base, env, data, time.perf_counter() - started)


def open_database(stack: ExitStack, kind: str, workdir: Path) -> str:
    """A fresh database of ``kind`` (a SQLite file in ``workdir``, or a PostgreSQL 15 started
    for the run), removed when ``stack`` closes; its URL."""
    if kind == "postgresql":
        from tests.support.postgres import running_postgres

        return stack.enter_context(running_postgres())
    return f"sqlite:///{workdir / 'bench.db'}"


def start_server(
    stack: ExitStack, env: dict[str, str], *, port: int, workers: int, workdir: Path
) -> subprocess.Popen:
    """``reclaim serve`` with these settings on 127.0.0.1, stopped when ``stack`` closes;
    returns once it answers ``/healthz``. Its log goes to ``workdir / "server.log"`` (a pipe
    that nobody read would fill up and stop the server)."""
    log = stack.enter_context((workdir / "server.log").open("wb"))
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "reclaim"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log,
        cwd=workdir,
        start_new_session=True,
    )
    stack.callback(stop, server)
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    sys.exit("the server did not start: " + (workdir / "server.log").read_text()[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or " ").splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--only",
        choices=["hello", "page", "post"],
        action="append",
        help="measure only these (repeatable); default: all three",
    )
    args = parser.parse_args()
    with ExitStack() as stack:
        site = seeded_site(
            stack,
            args.database,
            answers=args.answers,
            sessions=args.sessions,
            prefix="reclaim-bench-",
        )
        workdir, port, base, env, data = site.workdir, site.port, site.base, site.env, site.data
        print(f"seeded {args.answers} answers on {args.database} in {site.seconds:.1f} s")
        server = start_server(stack, env, port=port, workers=args.workers, workdir=workdir)
        slug = data["slug"]
        page = f"/consultations/{slug}/questions/1"
        check = httpx.get(base + page, cookies={"reclaim_session": data["sessions"][0][0]})
        shown = check.text.count('class="answer"') + check.text.count('class="answer ')
        signed = "Sign out" in check.text
        print(
            f"question page check: status {check.status_code}, {shown} answers shown, "
            f"signed in: {signed}, {len(check.content) / 1024:.0f} KiB"
        )
        get_script = workdir / "get.lua"
        lua_script(get_script, method="GET", sessions=data["sessions"], bodies=None, paths=[page])
        post_script = workdir / "post.lua"
        reply_paths = [f"/answers/{i}/replies" for i in data["answer_ids"][:2000]]
        lua_script(
            post_script,
            method="POST",
            sessions=data["sessions"],
            bodies=[f"text=Reply+number+{i}+on+the+evidence+point." for i in range(50)],
            paths=reply_paths,
        )
        only = set(args.only or ["hello", "page", "post"])
        results = {}
        if "hello" in only:
            results["hello"] = wrk(
                base + "/hello",
                script=None,
                duration=args.duration,
                connections=args.connections,
                server=server.pid,
            )
        if "page" in only:
            results["question page"] = wrk(
                base,
                script=get_script,
                duration=args.duration,
                connections=args.connections,
                server=server.pid,
            )
        if "post" in only:
            results["post reply"] = wrk(
                base,
                script=post_script,
                duration=args.duration,
                connections=args.connections,
                server=server.pid,
            )
        for name, r in results.items():
            spread = " / ".join(map(str, r["spread"] or []))
            print(
                f"{name:<14} {r['rps']:>9.1f} req/s   p50 {r['p50']:>7.2f} ms   "
                f"p99 {r['p99']:>7.2f} ms   non-2xx/3xx {r['errors']}   "
                f"connections per worker {spread}"
            )
        if "hello" in results and "question page" in results:
            share = results["question page"]["rps"] / results["hello"]["rps"] * 100
            print(f"question page at {share:.0f}% of the bare route")
        for n, rss in enumerate(worker_rss_mib(server.pid), start=1):
            print(f"worker {n} resident memory {rss:.1f} MiB")


if __name__ == "__main__":
    main()
