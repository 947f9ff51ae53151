"""The scheduler: what each job does, and running the next due one.

Periodic jobs (housekeeping) are requested again for their next time when a run ends, in the
same transaction as the run's work; requested jobs (regrouping, outcome notifications) run
once per request, or again at once while they say there is more to do (batches). Any number
of workers may run this: a job row is claimed by one of them (``jobs.claim_job``), and a run
whose worker dies is taken over when its lease expires.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.outbox.backoff import retry_delay
from app.outbox.delivery import describe
from app.outbox.jobs import ClaimedJob, JobName, claim_job, fail_job, finish_job, request_job
from app.settings import Settings
from kernel.clock import utcnow

log = logging.getLogger("reclaim.scheduler")

JOB_LEASE = timedelta(minutes=10)  # longer than any run; a dead worker's run waits this long
Transactions = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class JobContext:
    settings: Settings
    now: datetime


# A job's work, in the transaction that also ends the run; True: run again at once (more).
Handler = Callable[[Session, str, JobContext], bool]


def _moderation(session: Session, key: str, ctx: JobContext) -> bool:
    from moderation import housekeeping

    closed = housekeeping.close_after_appeal_window(session, now=ctx.now, limit=500)
    housekeeping.clear_expired_claims(session, now=ctx.now)
    return closed == 500


def _purge(session: Session, key: str, ctx: JobContext) -> bool:
    from app.accounts.sessions import purge_ended_sessions
    from app.identity.oidc import purge_logins
    from app.identity.vault.service import purge_sign_in_tokens
    from app.outbox.commands import purge_finished_messages

    purged = {
        "sign-in links": purge_sign_in_tokens(session, now=ctx.now),
        "sessions": purge_ended_sessions(session, now=ctx.now, settings=ctx.settings),
        "identity-provider logins": purge_logins(session, now=ctx.now),
        "messages": purge_finished_messages(
            session, now=ctx.now, keep_days=ctx.settings.outbox_keep_days
        ),
    }
    if any(purged.values()):
        log.info("purged %s", ", ".join(f"{n} {what}" for what, n in purged.items()))
    return False


def _regroup(session: Session, key: str, ctx: JobContext) -> bool:
    from app.analysis.grouping import regroup_job

    regroup_job(session, consultation_id=int(key), now=ctx.now)
    return False


def _outcome(session: Session, key: str, ctx: JobContext) -> bool:
    from app.analysis.outcome import queue_outcome_notifications

    return queue_outcome_notifications(session, consultation_id=int(key), now=ctx.now)


@dataclass(frozen=True)
class JobSpec:
    name: JobName
    run: Handler
    every: timedelta | None = None  # periodic: the time between runs
    max_attempts: int = 5  # a requested job is parked after this many failed runs
    # Run in a process of its own when the worker lives inside a web process: the libraries
    # the job loads (NumPy, for finding campaigns) would otherwise stay in that web worker's
    # memory for good once it had run there (some 15 MiB).
    isolated: bool = False


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec(JobName.moderation, _moderation, every=timedelta(minutes=1)),
        JobSpec(JobName.purge, _purge, every=timedelta(minutes=15)),
        JobSpec(JobName.regroup_campaigns, _regroup, isolated=True),
        JobSpec(JobName.outcome_notifications, _outcome, max_attempts=10),
    )
}


def ensure_periodic_jobs(transaction: Transactions) -> None:
    """Make sure every periodic job has a run waiting (a worker does this when it starts)."""
    now = utcnow()
    with transaction() as session:
        for spec in JOBS.values():
            if spec.every is not None:
                request_job(session, name=spec.name, now=now)


def _retry_in(spec: JobSpec | None, job: ClaimedJob) -> timedelta | None:
    """How long until a failed run is tried again; None: park it for an admin."""
    delay = retry_delay(job.attempts, base=30, cap=3600)
    if spec is not None and spec.every is not None:
        return min(delay, spec.every)  # housekeeping never stops for good
    if spec is None or job.attempts >= spec.max_attempts:
        return None
    return delay


def run_job(session: Session, job: ClaimedJob, *, settings: Settings, owner: str) -> None:
    """One run of a claimed job, in the caller's transaction (its work and its end)."""
    spec = JOBS.get(job.name)
    if spec is None:
        raise LookupError(f"no job is called {job.name!r}")
    now = utcnow()
    more = spec.run(session, job.key, JobContext(settings=settings, now=now))
    again = now if more else (now + spec.every if spec.every is not None else None)
    finish_job(session, job, owner=owner, now=now, again_at=again)


def run_next_job(transaction: Transactions, *, settings: Settings, owner: str) -> bool:
    """Claim the next due job and run it; whether there was one."""
    with transaction() as session:
        job = claim_job(session, owner=owner, now=utcnow(), lease=JOB_LEASE)
    if job is None:
        return False
    spec = JOBS.get(job.name)
    try:
        if spec is not None and spec.isolated and settings.worker_in_process:
            run_in_own_process(job, settings=settings, owner=owner)
        else:
            with transaction() as session:
                run_job(session, job, settings=settings, owner=owner)
    except Exception as error:
        log.exception("job %s (%s) failed, attempt %d", job.name, job.key, job.attempts)
        retry_in = _retry_in(spec, job)
        with transaction() as session:
            fail_job(
                session,
                job,
                owner=owner,
                now=utcnow(),
                error=describe(error),
                retry_in=retry_in,
            )
    return True


class RunFailed(RuntimeError):
    """A job's run in a process of its own did not finish (its log says why)."""


def run_in_own_process(job: ClaimedJob, *, settings: Settings, owner: str) -> None:
    """``run_job`` in a fresh interpreter (its work and its end in one transaction there, as
    here), waited for; whatever it imported and held goes when it ends."""
    process = multiprocessing.get_context("spawn").Process(
        target=_run_here,
        args=(job, settings, owner),
        name=f"reclaim-job-{job.name}",
        daemon=True,
    )
    process.start()
    process.join(JOB_LEASE.total_seconds())
    if process.is_alive():  # longer than its lease: another worker may take it over now
        process.kill()
        process.join()
        raise RunFailed(f"the run took longer than its lease ({JOB_LEASE})")
    if process.exitcode != 0:
        raise RunFailed(f"the run's process ended with exit code {process.exitcode}")


def _run_here(job: ClaimedJob, settings: Settings, owner: str) -> None:
    """The body of ``run_in_own_process``, in the child."""
    from app.ops import logs
    from app.wiring import build_site

    logs.configure(settings)
    site = build_site(settings.model_copy(update={"pool_size": 1}))
    try:
        with site.transaction() as session:
            run_job(session, job, settings=settings, owner=owner)
    except Exception:
        log.exception("job %s (%s) failed in its own process", job.name, job.key)
        sys.exit(1)
    finally:
        site.engine.dispose()
