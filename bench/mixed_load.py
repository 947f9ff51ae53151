"""Mixed load on the public debate, run several times in a row: does the site hold up, and do
its workers' memory and throughput stay level as the conversation grows?

    .venv/bin/python bench/mixed_load.py [--database sqlite|postgresql] [--duration 60]
        [--connections 64] [--runs 3] [--accounts 300] [--answers 2000] [--workers 2]

Seeds a consultation (5 questions, N published answers with a few replies each) and 300
signed-in accounts that have each answered one question, starts the site with production
settings on 127.0.0.1 (2 uvicorn workers), and drives it with wrk on loopback with this mix:

    30 %  question pages (full page, signed in)
    15 %  htmx fragments: the answer list (sorting, paging) and "N more replies" expanded
    10 %  answers' own pages
    10 %  the home page and the consultation page
    23 %  replies, to the answers shown on the first pages (so those threads keep growing)
    12 %  edits of the account's own answer

Each run prints requests/s, p50 and p99 latency, the count of 5xx (and 4xx) responses and of
socket errors; before the first run and after each run, the resident memory of each worker and
the size of the busiest question page. The figures of one run against another are what to
compare: this machine is noisy (bench/README.md).
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from app.db import make_engine, session_scope
from bench.question_page import seeded_site, start_server, worker_rss_mib

MIX = [  # (kind, weight in per cent)
    ("page", 30),
    ("fragment", 15),
    ("answer", 10),
    ("front", 10),
    ("reply", 23),
    ("edit", 12),
]


def own_answers(database_url: str, sessions: list, slug: str) -> list[int]:
    """Give each signed-in account an answer of its own (to question 1 to 5 in turn), so
    that its edits are edits; the question number of each account's answer."""
    from app.accounts.sessions import load_session_user
    from app.consultations import catalogue
    from app.participation import commands
    from app.settings import get_settings
    from kernel.clock import utcnow

    engine = make_engine(database_url)
    numbers = []
    with session_scope(engine) as session:
        consultation = catalogue.get_consultation(session, slug, can_see_drafts=True)
        questions = catalogue.questions_of(session, consultation)
        for n, (raw, _, _) in enumerate(sessions):
            user = load_session_user(session, raw, now=utcnow(), settings=get_settings())
            question = questions[n % len(questions)]
            commands.submit_answer(
                session,
                consultation=consultation,
                question=question,
                author=user,
                stance="agree",
                text=f"My own answer to question {question.position}, which I keep revising.",
                publish=True,
                now=utcnow(),
            )
            numbers.append(question.position)
    engine.dispose()
    return numbers


def _lua_list(values: list[str]) -> str:
    return "{" + ",".join(f'"{v}"' for v in values) + "}"


def lua_script(path: Path, *, sessions: list, numbers: list[int], slug: str, answers: dict):
    """A wrk script that picks each request from ``MIX`` and counts statuses per thread."""
    accounts = ",\n".join(
        f'  {{"reclaim_session={raw}; reclaim_csrf={cookie}", "{token}", {number}}}'
        for (raw, cookie, token), number in zip(sessions, numbers, strict=True)
    )
    kinds = []
    for kind, weight in MIX:
        kinds += [f'"{kind}"'] * weight
    question = f"/consultations/{slug}/questions/"
    path.write_text(
        f"""
local accounts = {{
{accounts}
}}
local kinds = {{{",".join(kinds)}}}
local shown = {_lua_list([str(i) for i in answers["shown"]])}
local anywhere = {_lua_list([str(i) for i in answers["all"]])}
local sorts = {{"newest", "most_replied"}}
local threads = {{}}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  s5 = 0
  s4 = 0
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
local function pick(list) return list[math.random(#list)] end
request = function()
  local account = pick(accounts)
  local kind = pick(kinds)
  local h = {{}}
  h["Cookie"] = account[1]
  local q = math.random(5)
  if kind == "page" then
    return wrk.format("GET", "{question}" .. q, h)
  elseif kind == "fragment" then
    h["HX-Request"] = "true"
    if math.random(2) == 1 then
      h["HX-Target"] = "answer_list"
      local p = "{question}" .. q .. "?sort=" .. pick(sorts) .. "&page=" .. math.random(3)
      return wrk.format("GET", p, h)
    end
    local a = pick(shown)
    h["HX-Target"] = "replies-" .. a
    return wrk.format("GET", "/answers/" .. a, h)
  elseif kind == "answer" then
    return wrk.format("GET", "/answers/" .. pick(anywhere), h)
  elseif kind == "front" then
    if math.random(2) == 1 then return wrk.format("GET", "/", h) end
    return wrk.format("GET", "/consultations/{slug}", h)
  end
  h["X-CSRF-Token"] = account[2]
  h["Content-Type"] = "application/x-www-form-urlencoded"
  if kind == "reply" then
    local body = "text=A+reply+about+the+evidence+point+number+" .. math.random(100000)
    return wrk.format("POST", "/answers/" .. pick(shown) .. "/replies", h, body)
  end
  local body = "stance=agree&publish=public&text=My+revised+answer+number+" .. math.random(100000)
  return wrk.format("POST", "{question}" .. account[3] .. "/answer", h, body)
end
response = function(status, headers, body)
  if status >= 500 then s5 = s5 + 1 elseif status >= 400 then s4 = s4 + 1 end
end
done = function(summary, latency, requests)
  local t5, t4 = 0, 0
  for _, t in ipairs(threads) do
    t5 = t5 + t:get("s5")
    t4 = t4 + t:get("s4")
  end
  local e = summary.errors
  io.write(string.format("status5xx=%d\\nstatus4xx=%d\\n", t5, t4))
  io.write(string.format("socket=%d\\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("p50us=%d\\np99us=%d\\n", latency:percentile(50), latency:percentile(99)))
end
"""
    )


def drive(base: str, script: Path, *, duration: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    output = subprocess.run(
        [*command, "-s", str(script), base], capture_output=True, text=True, check=True
    ).stdout

    def figure(name: str) -> int:
        return int(re.search(rf"{name}=(\d+)", output).group(1))

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": figure("p50us") / 1000,
        "p99": figure("p99us") / 1000,
        "5xx": figure("status5xx"),
        "4xx": figure("status4xx"),
        "socket": figure("socket"),
    }


def busiest_page(base: str, slug: str, cookie: str) -> tuple[int, int]:
    """(size in bytes, replies in it) of question 1's first page, signed in."""
    page = httpx.get(
        f"{base}/consultations/{slug}/questions/1", cookies={"reclaim_session": cookie}
    )
    return len(page.content), page.text.count('class="reply"')


def first_pages(database_url: str, per_page: int = 50) -> list[int]:
    """The answers on the first page of each question (newest first), where people reply."""
    engine = make_engine(database_url)
    with engine.connect() as conn:
        ids = conn.execute(
            text(
                "SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY question_id "
                "ORDER BY created_at DESC, id DESC) AS n FROM contribution "
                "WHERE kind = 'answer' AND is_public) ranked WHERE n <= :per_page"
            ),
            {"per_page": per_page},
        ).scalars()
        found = list(ids)
    engine.dispose()
    return found


def stored_replies(database_url: str) -> int:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM contribution WHERE kind = 'reply'")).scalar()
    engine.dispose()
    return int(n or 0)


def memory(server) -> str:
    return ", ".join(f"{rss:.0f} MiB" for rss in worker_rss_mib(server.pid))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or " ").splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    # Stopped with SIGTERM, still stop the server and wrk (the ExitStack's callbacks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with ExitStack() as stack:
        site = seeded_site(
            stack,
            args.database,
            answers=args.answers,
            sessions=args.accounts,
            prefix="reclaim-mixed-",
        )
        workdir, database_url, base, data = site.workdir, site.database_url, site.base, site.data
        started = time.perf_counter() - site.seconds
        numbers = own_answers(database_url, data["sessions"], data["slug"])
        answer_ids = data["answer_ids"]
        shown = first_pages(database_url)
        print(
            f"seeded {args.answers} answers and {args.accounts} accounts on {args.database} "
            f"in {time.perf_counter() - started:.1f} s"
        )
        script = workdir / "mixed.lua"
        rng = random.Random(2)
        lua_script(
            script,
            sessions=data["sessions"],
            numbers=numbers,
            slug=data["slug"],
            answers={"shown": shown, "all": rng.sample(answer_ids, min(500, len(answer_ids)))},
        )
        server = start_server(
            stack, site.env, port=site.port, workers=args.workers, workdir=workdir
        )
        cookie = data["sessions"][0][0]
        size, replies = busiest_page(base, data["slug"], cookie)
        print(f"before: workers {memory(server)}; question page {size / 1024:.0f} KiB")
        results = []
        for run in range(1, args.runs + 1):
            r = drive(base, script, duration=args.duration, connections=args.connections)
            results.append(r)
            size, replies = busiest_page(base, data["slug"], cookie)
            print(
                f"run {run}: {r['rps']:.1f} req/s   p50 {r['p50']:.1f} ms   p99 {r['p99']:.1f} ms"
                f"   5xx {r['5xx']}   4xx {r['4xx']}   socket errors {r['socket']}"
            )
            print(
                f"after run {run}: workers {memory(server)}; question page {size / 1024:.0f} KiB "
                f"with {replies} replies shown; {stored_replies(database_url):,} replies stored"
            )
        worst = max(r["p99"] for r in results)
        errors = sum(r["5xx"] + r["socket"] for r in results)
        decline = results[-1]["rps"] / results[0]["rps"] if results[0]["rps"] else 0
        print(
            f"summary: 5xx and socket errors {errors}; worst p99 {worst:.1f} ms; last run at "
            f"{decline:.0%} of the first's throughput"
        )
        logged = (workdir / "server.log").read_text(errors="replace")
        unhandled = logged.count("unhandled error on")
        print(f"server log: {unhandled} unhandled error(s)")
        for line in logged.splitlines():
            if "unhandled error on" in line or line.startswith(("sqlalchemy.", "psycopg.")):
                print(f"  {line[:300]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
