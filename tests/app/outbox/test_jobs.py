"""Scheduled jobs as rows: a request for pending work is the same request (debouncing), one
worker of many runs each job, failures are retried and then parked, periodic jobs come back,
and a run taken over after its lease cannot also finish."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.outbox import jobs, scheduler
from app.outbox.jobs import JobName, LeaseLost, claim_job, finish_job, request_job
from app.outbox.models import ScheduledJob
from kernel.clock import utcnow

LEASE = timedelta(minutes=1)


def _rows(session: Session) -> list[ScheduledJob]:
    session.expire_all()
    return list(session.exec(select(ScheduledJob).order_by(ScheduledJob.id)))


def test_requests_for_work_already_pending_are_one_request(session: Session) -> None:
    now = utcnow()
    first = request_job(session, name="regroup_campaigns", key="7", now=now, delay=timedelta(60))
    session.commit()  # a later transaction, as another request would be
    again = request_job(session, name="regroup_campaigns", key="7", now=now, delay=timedelta(1))
    other = request_job(session, name="regroup_campaigns", key="8", now=now)
    assert (first, again, other) == (True, False, True)
    rows = _rows(session)
    assert [(r.key, r.state) for r in rows] == [("7", "pending"), ("8", "pending")]
    assert rows[0].due_at == now + timedelta(60)  # the first request's time stands


def test_work_requested_while_the_job_runs_gets_a_run_of_its_own(session: Session) -> None:
    now = utcnow()
    request_job(session, name="regroup_campaigns", key="7", now=now)
    session.commit()
    job = claim_job(session, owner="w1", now=now, lease=LEASE)
    session.commit()
    assert job is not None and job.attempts == 1
    assert request_job(session, name="regroup_campaigns", key="7", now=now)
    assert [r.state for r in _rows(session)] == ["running", "pending"]
    finish_job(session, job, owner="w1", now=now, again_at=None)
    assert [r.state for r in _rows(session)] == ["pending"]


def test_of_several_workers_claiming_at_once_one_gets_the_job(make_site) -> None:
    site = make_site()
    with site.transaction() as session:
        request_job(session, name="purge", now=utcnow())
    barrier = threading.Barrier(6)
    won: list[str] = []

    def claim(owner: str) -> None:
        barrier.wait()
        with site.transaction() as session:
            if claim_job(session, owner=owner, now=utcnow(), lease=LEASE) is not None:
                won.append(owner)

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(won) == 1


def test_a_run_taken_over_after_its_lease_cannot_finish_as_well(session: Session) -> None:
    now = utcnow()
    request_job(session, name="purge", now=now)
    slow = claim_job(session, owner="slow", now=now, lease=LEASE)
    later = now + LEASE + timedelta(seconds=1)
    taken = claim_job(session, owner="successor", now=later, lease=LEASE)
    assert slow is not None and taken is not None and taken.id == slow.id
    with pytest.raises(LeaseLost):
        finish_job(session, slow, owner="slow", now=later, again_at=None)
    finish_job(session, taken, owner="successor", now=later, again_at=None)
    assert _rows(session) == []


def _failing(session: Session, key: str, ctx: scheduler.JobContext) -> bool:
    raise RuntimeError(f"cannot regroup {key} for bob@example.test")


def test_a_failing_job_is_retried_later_then_parked_and_an_admin_can_run_it_again(
    make_site, monkeypatch
) -> None:
    site = make_site()
    monkeypatch.setitem(
        scheduler.JOBS,
        "regroup_campaigns",
        scheduler.JobSpec(JobName.regroup_campaigns, _failing, max_attempts=2),
    )
    with site.transaction() as session:
        request_job(session, name="regroup_campaigns", key="5", now=utcnow())
    assert scheduler.run_next_job(site.transaction, settings=site.settings, owner="w")
    with site.transaction() as session:
        (row,) = _rows(session)
        assert row.state == "retry" and row.attempts == 1 and row.due_at > utcnow()
        assert "cannot regroup 5" in row.last_error and "@" not in row.last_error
        session.exec(update(ScheduledJob).values(due_at=utcnow() - timedelta(seconds=1)))
    assert scheduler.run_next_job(site.transaction, settings=site.settings, owner="w")
    with site.transaction() as session:
        (row,) = _rows(session)
        assert row.state == "failed" and row.attempts == 2
    assert not scheduler.run_next_job(site.transaction, settings=site.settings, owner="w")
    with site.transaction() as session:
        assert jobs.retry_failed_job(session, job_id=row.id, now=utcnow())
        assert not jobs.retry_failed_job(session, job_id=row.id, now=utcnow())  # once
    with site.transaction() as session:
        (row,) = _rows(session)
        assert row.state == "retry" and row.attempts == 0


def test_a_periodic_job_asks_for_its_next_run_when_it_ends(session: Session, site) -> None:
    scheduler.ensure_periodic_jobs(lambda: _Same(session))
    names = {r.name for r in _rows(session)}
    assert names == {"moderation", "purge"}
    before = utcnow()
    while (job := claim_job(session, owner="w", now=utcnow(), lease=LEASE)) is not None:
        scheduler.run_job(session, job, settings=site.settings, owner="w")
    rows = {r.name: r for r in _rows(session)}
    assert rows["purge"].state == "pending"
    assert rows["purge"].due_at >= before + scheduler.JOBS["purge"].every
    assert rows["moderation"].due_at >= before + scheduler.JOBS["moderation"].every
    count = session.exec(select(func.count()).select_from(ScheduledJob)).one()
    scheduler.ensure_periodic_jobs(lambda: _Same(session))  # a second worker starting
    assert session.exec(select(func.count()).select_from(ScheduledJob)).one() == count


def test_a_job_nobody_knows_is_parked_not_lost(make_site) -> None:
    site = make_site()
    with site.transaction() as session:
        request_job(session, name="from_a_newer_version", now=utcnow())
    for _ in range(6):
        scheduler.run_next_job(site.transaction, settings=site.settings, owner="w")
        with site.transaction() as session:
            session.exec(
                update(ScheduledJob)
                .where(col(ScheduledJob.state) == "retry")
                .values(due_at=utcnow() - timedelta(seconds=1))
            )
    with site.transaction() as session:
        (row,) = _rows(session)
    assert row.state == "failed" and "from_a_newer_version" in row.last_error


class _Same:
    """The test's session as a transaction that the caller does not commit."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *exc: object) -> None:
        self.session.flush()
