"""Delivery to a real SMTP server (aiosmtpd on 127.0.0.1): batches over one connection,
retries with backoff, failures parked with the server's answer (never an address), leases
that a dead worker's successor takes over, and claims that never overlap."""

from __future__ import annotations

import smtplib
import threading
import time
from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import col, select

from app.outbox import delivery
from app.outbox.backoff import retry_delay
from app.outbox.models import OutboxMessage
from app.outbox.queue import NewMail, Template, queue_mails
from app.outbox.transport import sender_domain
from app.outbox.worker import Worker
from kernel.clock import utcnow
from moderation.models import Notice
from tests.factories import make_user
from tests.support import free_port
from tests.support.smtp import running_smtp


def _queue_notices(site, count: int, *, prefix: str = "person") -> list[str]:
    """``count`` people and a moderation notice e-mail for each; returns their addresses."""
    with site.transaction() as session:
        notice = Notice(subject="A notice", body="What happened.", created_at=utcnow())
        session.add(notice)
        session.flush()
        people = [
            make_user(session, email=f"{prefix}{i}@example.test", pseudonym=f"{prefix}{i}")
            for i in range(count)
        ]
        queue_mails(
            session,
            [
                NewMail(
                    template=Template.moderation_notice,
                    recipient_id=p.id,
                    params={"notice_id": notice.id},
                )
                for p in people
            ],
            now=utcnow(),
        )
    return [f"{prefix}{i}@example.test" for i in range(count)]


def _rows(site) -> list[OutboxMessage]:
    with site.transaction() as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_batch_goes_over_one_connection_with_each_stored_message_id(make_site, smtp) -> None:
    site = make_site(smtp)
    addresses = _queue_notices(site, 30)
    assert Worker(site).deliver_once().sent == 30
    assert smtp.connections == 1
    assert sorted(r.lower() for m in smtp.received for r in m.rcpt_tos) == sorted(addresses)
    domain = sender_domain(site.settings)
    stored = {f"<{row.message_id}@{domain}>" for row in _rows(site)}
    assert set(smtp.message_ids()) == stored and len(stored) == 30
    assert {row.state for row in _rows(site)} == {"sent"}
    assert all(m.message["Auto-Submitted"] == "auto-generated" for m in smtp.received)


def test_a_refused_message_is_retried_later_and_then_sent_once(make_site, smtp) -> None:
    site = make_site(smtp, mail_retry_seconds=2.0)
    _queue_notices(site, 1)
    smtp.refuse = lambda accepted, _recipients: "451 4.3.0 Try again later"
    worker = Worker(site)
    before = utcnow()
    assert worker.deliver_once().failed == 1
    after = utcnow()
    (row,) = _rows(site)
    assert row.state == "queued" and row.attempts == 1 and "451" in row.last_error
    # Half to all of the base delay after the attempt, which was between before and after.
    assert (row.next_attempt_at - before).total_seconds() >= 1.0
    assert (row.next_attempt_at - after).total_seconds() <= 2.0
    wait = (row.next_attempt_at - utcnow()).total_seconds()
    assert worker.deliver_once().handled == 0  # not due yet
    smtp.refuse = None
    time.sleep(max(0.0, wait))
    assert worker.deliver_once().sent == 1
    (row,) = _rows(site)
    assert row.state == "sent" and row.attempts == 2 and row.last_error is None
    assert len(smtp.messages) == 1


def test_after_its_last_attempt_a_message_is_parked_with_the_answer_but_no_address(
    make_site, smtp
) -> None:
    site = make_site(smtp, mail_max_attempts=3, mail_retry_seconds=0.02)
    (address,) = _queue_notices(site, 1, prefix="refused")
    smtp.refuse = lambda accepted, _recipients: f"550 5.1.1 <{address}>: mailbox unavailable"
    worker = Worker(site)
    deadline = time.monotonic() + 5
    while _rows(site)[0].state == "queued" and time.monotonic() < deadline:
        worker.deliver_once()
        time.sleep(0.03)
    (row,) = _rows(site)
    assert row.state == "failed" and row.attempts == 3 and row.finished_at is not None
    assert "550 5.1.1" in row.last_error and "mailbox unavailable" in row.last_error
    assert "@" not in row.last_error and "refused0" not in row.last_error
    assert smtp.refused == 3 and smtp.messages == []


def test_while_the_server_is_down_nothing_is_lost_and_it_all_goes_when_it_is_back(
    make_site,
) -> None:
    port = free_port()
    site = make_site(smtp_port=port, mail_retry_seconds=0.1)
    _queue_notices(site, 5)
    worker = Worker(site)
    result = worker.deliver_once()
    assert result.failed == 5 and result.sent == 0
    rows = _rows(site)
    assert {r.state for r in rows} == {"queued"} and {r.attempts for r in rows} == {1}
    assert all("TransportUnavailable" in r.last_error for r in rows)
    with running_smtp(port=port) as sink:
        time.sleep(0.15)
        deadline = time.monotonic() + 5
        while len(sink.messages) < 5 and time.monotonic() < deadline:
            worker.deliver_once()
            time.sleep(0.05)
        assert len(sink.messages) == 5 and sink.connections == 1
    assert {r.state for r in _rows(site)} == {"sent"}


def test_a_dead_workers_messages_are_taken_over_when_its_lease_expires(make_site, smtp) -> None:
    site = make_site(smtp)
    _queue_notices(site, 3)
    with site.transaction() as session:
        taken = delivery.claim_messages(
            session, owner="dead", now=utcnow(), lease=timedelta(seconds=1), limit=10
        )
    assert len(taken) == 3
    successor = Worker(site)
    assert successor.deliver_once().handled == 0  # still leased
    time.sleep(1.1)
    assert successor.deliver_once().sent == 3
    assert {r.lease_owner for r in _rows(site)} == {successor.id}  # who sent it


def test_claims_made_at_the_same_moment_never_share_a_message(make_site) -> None:
    site = make_site(mail_batch_size=25)
    _queue_to_one_person(site, 400)
    claimed: dict[str, list[int]] = {}
    barrier = threading.Barrier(4)

    def claim(owner: str) -> None:
        barrier.wait()
        mine = claimed.setdefault(owner, [])
        while True:
            with site.transaction() as session:
                batch = delivery.claim_messages(
                    session, owner=owner, now=utcnow(), lease=timedelta(minutes=5), limit=25
                )
            if not batch:
                return
            mine.extend(c.id for c in batch)

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    every = [i for ids in claimed.values() for i in ids]
    assert len(every) == len(set(every)) == 400
    with site.transaction() as session:
        owners = session.exec(
            select(OutboxMessage.lease_owner, func.count()).group_by(OutboxMessage.lease_owner)
        ).all()
    assert dict(owners) == {o: len(ids) for o, ids in claimed.items() if ids}


def test_a_stopping_worker_gives_back_what_it_has_not_sent(make_site, smtp) -> None:
    site = make_site(smtp)
    _queue_notices(site, 4)
    worker = Worker(site)
    worker.stopping.set()
    result = worker.deliver_once()
    assert result.released == 4 and smtp.messages == []
    rows = _rows(site)
    assert {(r.state, r.attempts, r.lease_owner) for r in rows} == {("queued", 0, None)}


def test_retry_delays_double_with_jitter_up_to_a_ceiling() -> None:
    for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (10, 3600)]:
        waits = [retry_delay(attempt, base=10, cap=3600).total_seconds() for _ in range(200)]
        assert ceiling / 2 <= min(waits) and max(waits) <= ceiling
        assert max(waits) - min(waits) > ceiling / 10  # really jittered


def test_errors_are_described_without_any_address() -> None:
    refused = smtplib.SMTPRecipientsRefused(
        {"ann@example.test": (550, b"5.1.1 <ann@example.test>: no such user here")}
    )
    text = delivery.describe(refused, "ann@example.test")
    assert "550 5.1.1" in text and "no such user" in text and "@" not in text
    other = delivery.describe(OSError("cannot reach bob@example.test's server"))
    assert "@" not in other


def _queue_to_one_person(site, count: int) -> None:
    with site.transaction() as session:
        person = make_user(session)
        mail = NewMail(template=Template.moderation_notice, recipient_id=person.id)
        queue_mails(session, [mail] * count, now=utcnow())


def test_only_queued_messages_count_as_waiting(make_site) -> None:
    from app.outbox.views import mail_counts

    site = make_site()
    _queue_to_one_person(site, 3)
    with site.transaction() as session:
        first = session.exec(select(func.min(OutboxMessage.id))).one()
        session.exec(
            update(OutboxMessage).where(col(OutboxMessage.id) == first).values(state="failed")
        )
    with site.transaction() as session:
        counts = mail_counts(session, now=utcnow())
    assert (counts.waiting, counts.due, counts.failed) == (2, 2, 1)
    assert counts.oldest_due_at is not None


def test_a_claim_leases_no_more_than_its_batch(make_site) -> None:
    """PostgreSQL without fresh statistics once planned the claim as a nested loop that ran
    its ``LIMIT … FOR UPDATE SKIP LOCKED`` subquery again for every row, leasing every due
    message to one worker: the claim reads its picks once (a CTE)."""
    site = make_site()
    _queue_to_one_person(site, 3000)
    with site.transaction() as session:
        session.exec(
            update(OutboxMessage).where(col(OutboxMessage.id) <= 1500).values(state="sent")
        )
    with site.transaction() as session:
        batch = delivery.claim_messages(
            session, owner="one", now=utcnow(), lease=timedelta(minutes=1), limit=100
        )
    with site.transaction() as session:
        leased = session.exec(
            select(func.count()).where(col(OutboxMessage.lease_owner) == "one")
        ).one()
    assert len(batch) == leased == 100
    assert [c.id for c in batch] == list(range(1501, 1601))  # the oldest due, in order


def test_a_server_that_closes_the_connection_mid_batch_gets_a_new_one(make_site, smtp) -> None:
    site = make_site(smtp)
    _queue_notices(site, 6)
    closed = []

    def close_after_two(accepted: int, _recipients: list[str]) -> str | None:
        if accepted == 2 and not closed:
            closed.append(True)
            return "421 4.7.0 Too many messages on this connection, closing"
        return None

    smtp.refuse = close_after_two
    result = Worker(site).deliver_once()
    assert (result.sent, result.failed) == (5, 1)  # only the message it refused
    assert smtp.connections == 2 and len(smtp.messages) == 5
    failed = [r for r in _rows(site) if r.state == "queued"]
    assert len(failed) == 1 and "421" in failed[0].last_error
