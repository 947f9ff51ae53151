"""``reclaim worker`` as real processes: killed with SIGKILL in the middle of a batch, its
successor loses no message; two workers on PostgreSQL share 10,000 messages without sending
any twice; ``--once`` does what is due and exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

from sqlalchemy import func
from sqlmodel import col, select

from app.outbox.models import OutboxMessage
from app.outbox.queue import NewMail, Template, queue_mails
from app.outbox.transport import sender_domain
from kernel.clock import utcnow
from moderation.models import Notice
from tests.app.outbox.conftest import worker_environment
from tests.factories import make_people


def _queue(site, count: int, *, recipients: int) -> set[str]:
    """``count`` notices spread over ``recipients`` people; returns every Message-ID."""
    with site.transaction() as session:
        notice = Notice(subject="Bulk", body="A notice for the batch.", created_at=utcnow())
        session.add(notice)
        session.flush()
        people = [user_id for user_id, _ in make_people(session, recipients)]
        queue_mails(
            session,
            (
                NewMail(
                    template=Template.moderation_notice,
                    recipient_id=people[i % recipients],
                    params={"notice_id": notice.id},
                )
                for i in range(count)
            ),
            now=utcnow(),
        )
    domain = sender_domain(site.settings)
    with site.transaction() as session:
        return {f"<{m}@{domain}>" for m in session.exec(select(OutboxMessage.message_id))}


def _states(site) -> dict[str, int]:
    with site.transaction() as session:
        rows = session.exec(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        ).all()
    return dict(rows)


def test_a_worker_killed_in_the_middle_of_a_batch_loses_no_message(
    make_site, smtp, committed_url, start_worker
) -> None:
    site = make_site(smtp)
    expected = _queue(site, 1500, recipients=50)
    smtp.delay = 0.002  # slow enough that a batch of 100 is still in flight when it is killed
    first = start_worker(committed_url, smtp, mail_lease_seconds=4)
    # Batches are 100 messages: kill it a good way into one.
    smtp.wait_until(lambda sink: sink.accepted >= 250 and 20 <= sink.accepted % 100 <= 80, 60)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    killed_at = smtp.accepted
    assert killed_at < len(expected)  # it really died half-way
    with site.transaction() as session:
        held = session.exec(
            select(func.count()).where(
                col(OutboxMessage.state) == "queued", col(OutboxMessage.lease_owner).is_not(None)
            )
        ).one()
    assert held > 0  # a claimed batch was left behind, leased to the dead worker
    smtp.delay = 0
    start_worker(committed_url, smtp)  # once its lease (4 s here) runs out, nothing is lost
    smtp.wait_until(lambda sink: set(sink.message_ids()) >= expected, timeout=90)
    received = Counter(smtp.message_ids())
    assert set(received) == expected
    repeated = [m for m, n in received.items() if n > 1]
    assert len(repeated) <= 1  # at most the message in flight when it died, same Message-ID
    deadline = time.monotonic() + 10
    while _states(site) != {"sent": len(expected)}:
        assert time.monotonic() < deadline, _states(site)
        time.sleep(0.1)


def test_two_workers_on_postgresql_share_10000_messages_and_send_each_once(
    make_postgres_site, smtp, postgres_committed_url, start_worker
) -> None:
    site = make_postgres_site(smtp)
    expected = _queue(site, 10_000, recipients=100)
    workers = [start_worker(postgres_committed_url, smtp) for _ in range(2)]
    smtp.wait_until(lambda sink: sink.accepted >= len(expected), timeout=240)
    time.sleep(0.5)  # a message sent twice would arrive now
    for worker in workers:
        worker.terminate()
    assert [w.wait(timeout=30) for w in workers] == [0, 0]
    received = Counter(smtp.message_ids())
    assert len(received) == len(expected) == 10_000 and set(received) == expected
    assert set(received.values()) == {1}  # each Message-ID once
    with site.transaction() as session:
        senders = dict(
            session.exec(
                select(OutboxMessage.lease_owner, func.count()).group_by(OutboxMessage.lease_owner)
            ).all()
        )
    assert len(senders) == 2 and min(senders.values()) > 0  # both took their share
    assert _states(site) == {"sent": 10_000}


def test_worker_once_delivers_what_is_due_and_exits(make_site, smtp, committed_url) -> None:
    site = make_site(smtp)
    expected = _queue(site, 20, recipients=5)
    done = subprocess.run(
        [sys.executable, "-m", "app", "worker", "--once"],
        env=worker_environment(committed_url, smtp),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "20 sent" in done.stdout
    assert set(smtp.message_ids()) == expected
    assert "@example.test" not in done.stdout + done.stderr  # no address in its output
