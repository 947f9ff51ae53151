"""Telling respondents that an outcome is published: the publish commits at once, whatever the
mail server does; the scheduler queues the messages in batches that survive a crash; every
respondent gets exactly one message."""

from __future__ import annotations

import threading
import time
from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import col, select

from app.accounts import sessions
from app.accounts.models import Role
from app.analysis import outcome
from app.analysis.models import ConsultationOutcome
from app.main import create_app
from app.outbox import jobs, scheduler
from app.outbox.jobs import JobName
from app.outbox.models import OutboxMessage, ScheduledJob
from app.outbox.worker import Worker
from kernel.clock import utcnow
from tests.factories import add_respondents, csrf_token, make_consultation, make_people, make_user

RESPONDENTS = 5000
REFUSE_AFTER = 2000


def _closed_consultation_with_respondents(site, count: int):
    with site.transaction() as session:
        organiser = make_user(session, roles={Role.organiser}, pseudonym="OutcomeOrganiser")
        consultation = make_consultation(session, status="closed", questions=1)
        people = make_people(session, count, prefix="respondent")
        add_respondents(session, consultation, [user_id for user_id, _ in people])
        outcome.save_outcome(
            session,
            consultation=consultation,
            values={"what_we_changed": "We rewrote the second part."},
            now=utcnow(),
        )
        cookie = sessions.start_session(session, user=organiser, now=utcnow())
    return consultation, [email for _, email in people], cookie


def _count(site, *criteria) -> int:
    with site.transaction() as session:
        return session.exec(select(func.count()).select_from(OutboxMessage).where(*criteria)).one()


def test_publishing_to_5000_respondents_while_the_server_refuses_after_the_2000th(
    make_site, smtp, committed_url, start_worker
) -> None:
    settings = {"mail_max_attempts": 1000, "mail_retry_seconds": 0.2}
    site = make_site(smtp, **settings)
    consultation, addresses, cookie = _closed_consultation_with_respondents(site, RESPONDENTS)
    recovered = threading.Event()
    smtp.refuse = lambda accepted, _recipients: (
        None
        if accepted < REFUSE_AFTER or recovered.is_set()
        else "451 4.3.2 Too much mail for now, try again later"
    )
    with TestClient(create_app(site.settings), base_url="http://testserver") as client:
        client.cookies.set("reclaim_session", cookie)
        path = f"/organise/{consultation.slug}/outcome"
        token = csrf_token(client, path)
        started = time.monotonic()
        published = client.post(
            f"{path}/publish", data={"csrf_token": token}, follow_redirects=False
        )
        took = time.monotonic() - started
    assert published.status_code == 303 and took < 2, took
    assert smtp.messages == []  # nothing is sent inside the request
    with site.transaction() as session:
        assert session.get(ConsultationOutcome, consultation.id).published_at is not None
    worker = start_worker(committed_url, smtp, **settings)  # `reclaim worker`, a process
    try:
        smtp.wait_until(lambda sink: sink.refused >= 500, timeout=60)
        assert smtp.accepted == REFUSE_AFTER  # the outage: nothing more got through
        assert _count(site) == RESPONDENTS  # every message is queued, none twice
        assert _count(site, col(OutboxMessage.state) == "sent") == REFUSE_AFTER
        recovered.set()
        smtp.wait_until(lambda sink: sink.accepted >= RESPONDENTS, timeout=90)
        deadline = time.monotonic() + 10
        while _count(site, col(OutboxMessage.state) == "sent") < RESPONDENTS:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(0.3)  # anything sent twice would arrive now
    finally:
        worker.terminate()
        assert worker.wait(timeout=30) == 0  # stopped cleanly
    received = Counter(r.lower() for m in smtp.received for r in m.rcpt_tos)
    assert set(received) == set(addresses)
    assert set(received.values()) == {1}  # exactly one notification each
    assert len(set(smtp.message_ids())) == RESPONDENTS
    with site.transaction() as session:
        overall = session.get(ConsultationOutcome, consultation.id)
        assert overall.notified_count == RESPONDENTS and overall.notified_at is not None
        assert (
            session.exec(
                select(func.count())
                .select_from(ScheduledJob)
                .where(ScheduledJob.name == JobName.outcome_notifications)
            ).one()
            == 0
        )


def test_a_crash_between_batches_resumes_after_the_last_batch_queued(make_site) -> None:
    site = make_site()
    consultation, _addresses, _cookie = _closed_consultation_with_respondents(site, 1200)
    with site.transaction() as session:
        organiser = make_user(session, roles={Role.organiser})
        outcome.publish_outcome(
            session, consultation=session.merge(consultation), organiser=organiser, now=utcnow()
        )
    # A worker claims the job, queues one batch, and dies before its next run.
    with site.transaction() as session:
        job = jobs.claim_job(session, owner="doomed", now=utcnow(), lease=scheduler.JOB_LEASE)
        assert job is not None and job.name == JobName.outcome_notifications
    with site.transaction() as session:
        scheduler.run_job(session, job, settings=site.settings, owner="doomed")
    assert _count(site) == 500
    with site.transaction() as session:  # its next run: claimed, then the worker is killed
        again = jobs.claim_job(session, owner="doomed", now=utcnow(), lease=scheduler.JOB_LEASE)
        assert again is not None
    # Another worker takes the run over once the lease has expired.
    later = utcnow() + scheduler.JOB_LEASE
    with site.transaction() as session:
        taken = jobs.claim_job(session, owner="successor", now=later, lease=scheduler.JOB_LEASE)
        assert taken is not None and taken.id == again.id
    successor = Worker(site, worker_id="successor")
    with site.transaction() as session:
        scheduler.run_job(session, taken, settings=site.settings, owner="successor")
    while successor.run_job_once():
        pass
    assert _count(site) == 1200
    with site.transaction() as session:
        recipients = session.exec(select(OutboxMessage.recipient_id)).all()
        assert len(recipients) == len(set(recipients)) == 1200
        overall = session.get(ConsultationOutcome, consultation.id)
        assert overall.notified_count == 1200
