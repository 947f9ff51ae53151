"""Benchmark: mail delivery by one worker to a local SMTP server (aiosmtpd on 127.0.0.1), and
the time from a sign-in request to its message arriving.

    python bench/mail_delivery.py                        # SQLite and PostgreSQL
    python bench/mail_delivery.py --backend sqlite --messages 5000 --sign-ins 200

1. Throughput: ``--messages`` outcome notifications, one per respondent (each rendered from its
   template at delivery, its address read from the identity vault), delivered by one worker
   with the default batch size; prints messages per second (target: at least 200).
2. Latency: the site served by uvicorn with its in-process worker (as ``reclaim serve`` runs
   it on SQLite), ``--sign-ins`` sign-in requests one after another over HTTP; for each, the
   time from sending the request to the SMTP server receiving the link. Prints the median and
   the 99th percentile. The worker's poll interval is set to 30 s, so these figures measure
   the wake-up (an in-process event; on PostgreSQL also LISTEN/NOTIFY), not the polling.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import uvicorn

from app.accounts.models import Role, User
from app.analysis import outcome
from app.main import create_app
from app.migrate import upgrade
from app.settings import Settings
from app.wiring import build_site
from kernel.clock import utcnow
from tests.factories import add_response, make_consultation, make_people, make_user
from tests.support import free_port
from tests.support.smtp import running_smtp

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def _settings(url: str, smtp_port: int, **extra: object) -> Settings:
    return Settings(
        environment="test",
        database_url=url,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_starttls=False,
        rate_limit_sign_in="1000000/minute",
        _env_file=None,
        **extra,
    )


def throughput(url: str, messages: int) -> float:
    from app.outbox.worker import Worker

    with running_smtp() as sink:
        site = build_site(_settings(url, sink.port))
        with site.transaction() as s:
            consultation = make_consultation(s, status="closed", questions=1)
            for user_id, _email in make_people(s, messages, prefix="bench"):
                add_response(s, consultation, {}, respondent=s.get(User, user_id))
            organiser = make_user(s, roles={Role.organiser})
            outcome.save_outcome(
                s, consultation=consultation, values={"what_we_changed": "Much."}, now=utcnow()
            )
            outcome.publish_outcome(s, consultation=consultation, organiser=organiser, now=utcnow())
        worker = Worker(site)
        while worker.run_job_once():  # queue the notifications (batches of 500)
            pass
        started = time.perf_counter()
        while worker.deliver_once().handled:
            pass
        elapsed = time.perf_counter() - started
        assert len(sink.messages) == messages, (len(sink.messages), messages)
        assert sink.connections <= -(-messages // site.settings.mail_batch_size)
        site.engine.dispose()
    return messages / elapsed


def latency(url: str, requests: int) -> list[float]:
    with running_smtp() as sink:
        settings = _settings(
            url,
            sink.port,
            base_url="http://127.0.0.1",
            worker_in_process=True,
            worker_poll_seconds=30,
        )
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        times: list[float] = []
        try:
            with httpx.Client(base_url=base, timeout=10) as client:
                for _ in range(100):
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get("/healthz").status_code == 200:
                            break
                    time.sleep(0.05)
                for i in range(requests):
                    token = CSRF.search(client.get("/auth/sign-in").text).group(1)
                    address = f"latency{i}@example.test"
                    started = time.perf_counter()
                    answer = client.post(
                        "/auth/sign-in", data={"email": address, "csrf_token": token}
                    )
                    assert answer.status_code == 303, answer.status_code
                    sink.wait_for(lambda m, a=address: a in str(m["To"]), timeout=10)
                    times.append(time.perf_counter() - started)
        finally:
            server.should_exit = True
            thread.join(10)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or " ").splitlines()[0])
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--sign-ins", type=int, default=200)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        for backend in args.backend or ["sqlite", "postgresql"]:
            for part in ("throughput", "latency"):
                if backend == "sqlite":
                    folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                    url = f"sqlite:///{folder / f'{part}.db'}"
                else:
                    from tests.support.postgres import fresh_database, running_postgres

                    if "server" not in locals():
                        server = stack.enter_context(running_postgres())
                    url = fresh_database(server, f"bench_mail_{part}")
                upgrade(url)
                if part == "throughput":
                    rate = throughput(url, args.messages)
                    verdict = "PASS" if rate >= 200 else "FAIL"
                    print(
                        f"{backend}: delivered {args.messages:,} messages with one worker: "
                        f"{rate:,.0f} messages/s (target ≥ 200) {verdict}",
                        flush=True,
                    )
                else:
                    times = latency(url, args.sign_ins)
                    p99 = statistics.quantiles(times, n=100)[98] if len(times) > 1 else times[0]
                    print(
                        f"{backend}: sign-in request to message received, {len(times)} requests: "
                        f"median {statistics.median(times) * 1000:.0f} ms, "
                        f"p99 {p99 * 1000:.0f} ms, max {max(times) * 1000:.0f} ms",
                        flush=True,
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
