"""Scheduled jobs as rows of ``scheduled_job``: requested inside the caller's transaction,
claimed by one worker at a time with a lease, finished or failed with a retry.

A request for work that is already pending is the same request: asking for a regrouping after
every answer makes one run, ``delay`` after the first (debouncing). A job that is running is
outside that rule, so work requested while it runs gets a run of its own.

Claiming is a conditional ``UPDATE`` (on PostgreSQL of a row picked ``FOR UPDATE SKIP
LOCKED``): of two workers, one gets the row and the other's update matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, delete, event, func, or_, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from app.outbox.models import JobState, ScheduledJob
from app.outbox.queue import claim_picked, insert_unless_present, note_work

_REQUESTED = "reclaim.jobs.requested"


class JobName(StrEnum):
    """Every job the scheduler runs (``app.outbox.scheduler.JOBS``)."""

    moderation = "moderation"  # periodic: close cases after the appeal window, clear claims
    purge = "purge"  # periodic: used links, ended sessions, abandoned logins, old mail
    regroup_campaigns = "regroup_campaigns"  # requested: after answers or an import
    outcome_notifications = "outcome_notifications"  # requested: when an outcome is published


class LeaseLost(RuntimeError):
    """Another worker took this job over (its lease had expired): undo this run's work."""


def request_job(
    session: Session, *, name: str, key: str = "", now: datetime, delay: timedelta = timedelta(0)
) -> bool:
    """Ask for a run of job ``name`` (for ``key``) ``delay`` from now, in the caller's
    transaction; False when one is already pending (that run will do)."""
    requested: set[tuple[str, str]] = session.info.setdefault(_REQUESTED, set())
    if (name, key) in requested:
        return False
    requested.add((name, key))
    values: dict[str, object] = {
        "name": name,
        "key": key,
        "state": JobState.pending.value,
        "due_at": now + delay,
        "attempts": 0,
        "created_at": now,
    }
    statement = insert_unless_present(session, ScheduledJob).values(values)
    inserted = session.execute(statement.returning(col(ScheduledJob.id))).first() is not None
    if inserted:
        note_work(session)
    return inserted


def _forget_requests(session: OrmSession, *_args: object) -> None:
    session.info.pop(_REQUESTED, None)


event.listen(OrmSession, "after_commit", _forget_requests)
event.listen(OrmSession, "after_soft_rollback", _forget_requests)


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    name: str
    key: str
    attempts: int  # including this run


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(
            col(ScheduledJob.state).in_([JobState.pending, JobState.retry]),
            col(ScheduledJob.due_at) <= now,
        ),
        and_(
            col(ScheduledJob.state) == JobState.running,
            col(ScheduledJob.lease_expires_at) < now,  # its worker died: take it over
        ),
    )


def claim_job(
    session: Session, *, owner: str, now: datetime, lease: timedelta
) -> ClaimedJob | None:
    """Take the next due job for ``owner`` until ``now + lease``; None when nothing is due.
    The caller commits (so that other workers see the claim) before running it."""
    pick = (
        select(ScheduledJob.id)
        .where(_claimable(now))
        .order_by(col(ScheduledJob.due_at), col(ScheduledJob.id))
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    rows = claim_picked(
        session,
        ScheduledJob,
        pick,
        values={
            "state": JobState.running,
            "lease_owner": owner,
            "lease_expires_at": now + lease,
            "attempts": col(ScheduledJob.attempts) + 1,
        },
        returning=(
            col(ScheduledJob.id),
            col(ScheduledJob.name),
            col(ScheduledJob.key),
            col(ScheduledJob.attempts),
        ),
    )
    row = rows[0] if rows else None
    if row is None:
        return None
    return ClaimedJob(id=row[0], name=row[1], key=row[2], attempts=row[3])


def _mine(job: ClaimedJob, owner: str) -> ColumnElement[bool]:
    return and_(col(ScheduledJob.id) == job.id, col(ScheduledJob.lease_owner) == owner)


def finish_job(
    session: Session, job: ClaimedJob, *, owner: str, now: datetime, again_at: datetime | None
) -> None:
    """The run is done (in the same transaction as its work): the row goes, and a new run is
    requested for ``again_at`` (more to do, or the next run of a periodic job)."""
    done = session.exec(delete(ScheduledJob).where(_mine(job, owner)))
    if done.rowcount != 1:
        raise LeaseLost(f"job {job.name}:{job.key} was taken over by another worker")
    if again_at is not None:
        session.info.get(_REQUESTED, set()).discard((job.name, job.key))
        request_job(session, name=job.name, key=job.key, now=now, delay=again_at - now)


def fail_job(
    session: Session,
    job: ClaimedJob,
    *,
    owner: str,
    now: datetime,
    error: str,
    retry_in: timedelta | None,
) -> None:
    """Record a failed run: due again after ``retry_in``, or parked (``retry_in`` None)."""
    values: dict[str, object] = {
        "lease_owner": None,
        "lease_expires_at": None,
        "last_error": error[:500],
    }
    if retry_in is None:
        values["state"] = JobState.failed
    else:
        values.update(state=JobState.retry, due_at=now + retry_in)
    session.execute(update(ScheduledJob).where(_mine(job, owner)).values(values))


def retry_failed_job(session: Session, *, job_id: int, now: datetime) -> bool:
    """An admin's retry of a parked job: due now, attempts counted afresh."""
    done = session.exec(
        update(ScheduledJob)
        .where(col(ScheduledJob.id) == job_id, col(ScheduledJob.state) == JobState.failed)
        .values(state=JobState.retry, due_at=now, attempts=0)
    )
    if done.rowcount == 1:
        note_work(session)
    return done.rowcount == 1


def next_job_due(session: Session) -> datetime | None:
    """When the next waiting job is due (to know how long a worker may sleep)."""
    return session.exec(
        select(func.min(ScheduledJob.due_at)).where(
            col(ScheduledJob.state).in_([JobState.pending, JobState.retry])
        )
    ).one()
