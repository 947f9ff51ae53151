"""The worker: delivers queued mail, runs scheduled jobs and performs queued theme runs, each
in a thread of its own (a long job never delays a sign-in link), until stopped.

``reclaim worker`` runs one in its own process; ``reclaim serve`` and ``reclaim demo`` run one
inside the web process on the embedded default (SQLite). Any number may run against one
database: messages and jobs are claimed with leases, never shared.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.outbox import delivery, jobs, scheduler
from app.outbox.render import MailRenderer
from app.outbox.transport import Transport, make_transport
from app.outbox.wakeup import listen
from app.wiring import Site
from kernel.clock import utcnow

log = logging.getLogger("reclaim.worker")


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class Totals:
    """What a worker has done since it started (for ``drain`` and the logs)."""

    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    jobs: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, batch: delivery.BatchResult) -> None:
        with self._lock:
            self.sent += batch.sent
            self.failed += batch.failed
            self.cancelled += batch.cancelled


class Worker:
    def __init__(
        self, site: Site, *, transport: Transport | None = None, worker_id: str | None = None
    ) -> None:
        self.site = site
        self.settings = site.settings
        self.id = worker_id or default_worker_id()
        self.transport = transport or make_transport(site.settings)
        self.renderer = MailRenderer(site.settings)
        self.stopping = threading.Event()
        self.totals = Totals()
        self._server_down_until: datetime | None = None
        self._threads: list[threading.Thread] = []

    # One round of each kind of work ---------------------------------------------------------

    def deliver_once(self) -> delivery.BatchResult:
        """Deliver one batch of due mail."""
        result = delivery.deliver_due(
            self.site.transaction,
            settings=self.settings,
            transport=self.transport,
            renderer=self.renderer,
            owner=self.id,
            stopping=self.stopping,
            results=lambda: delivery.autocommit(self.site.engine),
        )
        self.totals.add(result)
        return result

    def run_job_once(self) -> bool:
        """Run the next due job; whether there was one."""
        ran = scheduler.run_next_job(self.site.transaction, settings=self.settings, owner=self.id)
        if ran:
            self.totals.jobs += 1
        return ran

    def drain(self) -> Totals:
        """Run due jobs and deliver due mail until nothing is due (``reclaim worker --once``)."""
        scheduler.ensure_periodic_jobs(self.site.transaction)
        while True:
            busy = self.run_job_once()
            busy = self.run_theme_run_once() or busy
            busy = self.deliver_once().handled > 0 or busy
            if not busy:
                return self.totals

    # Running until stopped ------------------------------------------------------------------

    def _sleep_for(self, due: datetime | None) -> float:
        poll = self.settings.worker_poll_seconds
        if due is None:
            return poll
        return min(poll, max(0.0, (due - utcnow()).total_seconds()))

    def _loop(
        self,
        name: str,
        work: Callable[[], bool],
        next_due: Callable[[], datetime | None],
    ) -> None:
        event = self.site.wakeup.subscribe()
        try:
            while not self.stopping.is_set():
                event.clear()
                try:
                    if work():
                        continue  # there may be more at once
                    pause = self._sleep_for(next_due())
                except Exception:
                    log.exception("worker %s: %s failed; trying again shortly", self.id, name)
                    pause = self.settings.worker_poll_seconds
                event.wait(pause)
        finally:
            self.site.wakeup.unsubscribe(event)

    def _mail_work(self) -> bool:
        result = self.deliver_once()
        if result.unavailable:  # wait a little before trying the server with the next batch
            pause = min(self.settings.worker_poll_seconds, self.settings.mail_retry_seconds)
            self._server_down_until = utcnow() + timedelta(seconds=pause)
            return False
        self._server_down_until = None
        return result.handled >= self.settings.mail_batch_size and not result.released

    def _next_mail(self) -> datetime | None:
        with self.site.transaction() as session:
            due = delivery.next_attempt_due(session)
        down = self._server_down_until
        if due is not None and down is not None:
            return max(due, down)
        return due or down

    def _next_job(self) -> datetime | None:
        with self.site.transaction() as session:
            return jobs.next_job_due(session)

    def run_theme_run_once(self) -> bool:
        """Perform the oldest queued theme run (minutes of work on a large question, so in a
        thread of its own); whether there was one."""
        from app.analysis.themes.runs import run_pending

        return run_pending(self.site.transaction, limit=1) > 0

    def start(self) -> None:
        """Start the threads and return (``stop`` ends them)."""
        try:
            scheduler.ensure_periodic_jobs(self.site.transaction)
        except Exception:
            log.exception("worker %s: could not schedule the periodic jobs yet", self.id)
        targets: list[tuple[str, Callable[[], None]]] = [
            ("mail", lambda: self._loop("mail", self._mail_work, self._next_mail)),
            ("jobs", lambda: self._loop("jobs", self.run_job_once, self._next_job)),
            ("themes", lambda: self._loop("themes", self.run_theme_run_once, lambda: None)),
        ]
        if self.site.engine.dialect.name == "postgresql":
            targets.append(("listen", self._listen))
        for name, target in targets:
            thread = threading.Thread(target=target, name=f"reclaim-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        log.info("worker %s started", self.id)

    def _listen(self) -> None:
        listen(
            self.site.engine.url,
            self.site.wakeup,
            self.stopping,
            retry_seconds=self.settings.worker_poll_seconds,
        )

    def stop(self, timeout: float = 30) -> None:
        """Finish the message or job in hand, give back the rest, and stop."""
        self.stopping.set()
        self.site.wakeup.notify()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
        log.info("worker %s stopped (%d sent)", self.id, self.totals.sent)
