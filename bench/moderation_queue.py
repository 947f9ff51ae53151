"""Benchmark: the moderation queue's first page and a decision, with 100,000 open cases.

    python bench/moderation_queue.py                  # PostgreSQL (started for the run)
    python bench/moderation_queue.py --backend sqlite
    python bench/moderation_queue.py --cases 20000 --runs 30

Prints the median and 90th percentile of each operation, each run in its own transaction
as a request would be. The target is a median under 50 ms for both.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text

from app.accounts.models import Role
from app.db import make_engine
from app.migrate import upgrade
from app.participation.models import Contribution
from app.settings import Settings
from app.wiring import Site, build_site
from kernel.clock import utcnow
from moderation import decisions, queue
from moderation.models import ModerationCase, Report
from moderation.reasons import ReportReason
from tests.factories import make_consultation, make_user

STATEMENT = (
    "Benchmark decision: the post was read in its thread and found to threaten the "
    "person named in it."
)


def seed(site: Site, cases: int) -> tuple[list[int], int]:
    engine = site.engine
    now = utcnow()
    with site.transaction() as s:
        consultation = make_consultation(s, questions=1)
        author = make_user(s, pseudonym="BenchAuthor")
        reporters = [make_user(s).id for _ in range(20)]
        moderator = make_user(s, pseudonym="BenchModerator", roles={Role.moderator}).id
        question_id = s.execute(
            text("SELECT id FROM question WHERE consultation_id = :c"), {"c": consultation.id}
        ).scalar()
        consultation_id, author_id = consultation.id, author.id
    reasons = list(ReportReason)
    rng = random.Random(4)
    batch = 5000
    with engine.begin() as conn:
        for start in range(0, cases, batch):
            n = min(batch, cases - start)
            first_id = (
                conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM contribution")).scalar() + 1
            )
            conn.execute(
                insert(Contribution.__table__),
                [
                    {
                        "id": first_id + i,
                        "kind": "reply",
                        "question_id": question_id,
                        "parent_id": None,
                        "author_id": author_id,
                        "source_text": f"Post {start + i}",
                        "html": f"<p>Post {start + i}</p>",
                        "is_public": True,
                        "state": "visible",
                        "reply_count": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(n)
                ],
            )
            first_case = (
                conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM moderation_case")).scalar() + 1
            )
            rows, reports = [], []
            for i in range(n):
                reason = rng.choice(reasons)
                at = now - timedelta(minutes=rng.randrange(60 * 24 * 30))
                rows.append(
                    {
                        "id": first_case + i,
                        "contribution_id": first_id + i,
                        "consultation_id": consultation_id,
                        "author_id": author_id,
                        "state": "open",
                        "reason": reason.value,
                        "severity_band": reason.severity_band,
                        "priority_score": rng.randrange(100_000, 999_000),
                        "source": "report",
                        "automation_involved": False,
                        "first_reported_at": at,
                        "last_reported_at": at,
                        "report_count": 1,
                        "version": 2,
                        "created_at": at,
                    }
                )
                reports.append(
                    {
                        "reference": "R-" + secrets.token_urlsafe(12),
                        "case_id": first_case + i,
                        "reporter_id": reporters[i % len(reporters)],
                        "reason": reason.value,
                        "is_about_reporter": False,
                        "note": "",
                        "outcome": "pending",
                        "created_at": at,
                    }
                )
            conn.execute(insert(ModerationCase.__table__), rows)
            conn.execute(insert(Report.__table__), reports)
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('contribution', 'id'), "
                    "(SELECT MAX(id) FROM contribution))"
                )
            )
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('moderation_case', 'id'), "
                    "(SELECT MAX(id) FROM moderation_case))"
                )
            )
        else:
            conn.execute(text("ANALYZE"))
    with engine.connect() as conn:
        ids = list(conn.execute(text("SELECT id FROM moderation_case ORDER BY id")).scalars())
    return ids, moderator


def timed(fn, runs: int) -> list[float]:
    out = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, samples: list[float]) -> float:
    samples = sorted(samples)
    median = statistics.median(samples)
    p90 = samples[max(0, int(len(samples) * 0.9) - 1)]
    print(f"  {name:<28} median {median:7.2f} ms   p90 {p90:7.2f} ms   ({len(samples)} runs)")
    return median


def run(url: str, cases: int, runs: int) -> bool:
    upgrade(url)
    site = build_site(
        Settings(environment="test", database_url=url, smtp_host=None), engine=make_engine(url)
    )
    engine = site.engine
    t0 = time.perf_counter()
    ids, moderator = seed(site, cases)
    print(f"  seeded {len(ids):,} open cases in {time.perf_counter() - t0:.1f} s")
    filters = queue.QueueFilters()

    def first_page(_: int) -> None:
        with site.session() as s:
            page = queue.queue_page(s, filters=filters, page=1, per_page=50, now=utcnow())
            assert len(page.rows) == 50

    rng = random.Random(7)
    targets = rng.sample(ids, runs + 5)

    def decide(i: int) -> None:
        with (
            site.session() as s,
            contextlib.redirect_stdout(io.StringIO()),
        ):
            case = s.get(ModerationCase, targets[i])
            decisions.decide(
                s,
                case_id=case.id,
                moderator_id=moderator,
                version=case.version,
                action="remove",
                basis="threat",
                statement=STATEMENT,
                now=utcnow(),
            )
            s.commit()

    first_page(0)
    decide(runs + 1)  # warm up
    a = report("queue, first page", timed(first_page, runs))
    b = report("decision (remove, notices)", timed(decide, runs))
    engine.dispose()
    ok = a < 50 and b < 50
    print(f"  {'PASS' if ok else 'FAIL'}: target median under 50 ms for both")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or " ").splitlines()[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    print(f"Moderation queue benchmark: {args.backend}, {args.cases:,} open cases")
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            return 0 if run(f"sqlite:///{tmp}/bench.db", args.cases, args.runs) else 1
    from tests.support.postgres import running_postgres

    with running_postgres() as url:
        return 0 if run(url, args.cases, args.runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
