"""The outbox as tests read it: what a request queued, rendered as the worker would send it,
inside the test's own transaction (nothing is committed, nothing is sent).

``outbox.deliver()`` hands what is due to the site's transport (SMTP when the settings name a
server), as one worker's batches would, still inside the test's transaction.

``outbox.messages`` is newest first, like the development outbox page; ``outbox.clear()``
forgets what is there so far. A message is rendered the first time it is read and kept as it
was, as if it had been delivered then (a sign-in link read before it is used stays readable). ``run_jobs`` runs the scheduler's due jobs in that transaction
(as a worker would, without threads).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.outbox import delivery, jobs, scheduler
from app.outbox.models import OutboxMessage
from app.outbox.render import Envelope, MailRenderer, NotSent
from app.outbox.transport import Mail, make_transport
from app.outbox.views import ShownMail, dev_outbox
from app.wiring import Site
from kernel.clock import utcnow


class QueuedMail:
    def __init__(self, session_factory, site: Site) -> None:
        self._session = session_factory
        self.site = site
        self.renderer = MailRenderer(site.settings)
        self._after = 0
        self._seen: dict[int, ShownMail] = {}

    @property
    def messages(self) -> list[ShownMail]:
        with self._session() as session:
            count = session.exec(
                select(func.count()).where(col(OutboxMessage.id) > self._after)
            ).one()
            shown = dev_outbox(session, renderer=self.renderer, now=utcnow(), limit=count)
        for mail in shown:
            self._seen.setdefault(mail.id, mail)
        return [self._seen[mail.id] for mail in shown]

    def rows(self) -> list[OutboxMessage]:
        with self._session() as session:
            return list(
                session.exec(
                    select(OutboxMessage)
                    .where(col(OutboxMessage.id) > self._after)
                    .order_by(col(OutboxMessage.id))
                )
            )

    def clear(self) -> None:
        with self._session() as session:
            self._after = session.exec(select(func.max(OutboxMessage.id))).one() or 0

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._session() as session, session.begin():  # commits, or rolls back on error
            yield session

    def deliver(self, *, owner: str = "test-worker") -> delivery.BatchResult:
        """Deliver every due message; returns the totals."""
        total = delivery.BatchResult()
        transport = make_transport(self.site.settings)
        while True:
            batch = delivery.deliver_due(
                self._transaction,
                settings=self.site.settings,
                transport=transport,
                renderer=self.renderer,
                owner=owner,
            )
            if not batch.handled:
                return total
            total.sent += batch.sent
            total.failed += batch.failed
            total.cancelled += batch.cancelled

    def run_jobs(self, *, owner: str = "test-worker") -> int:
        """Run every due job (and the runs they ask for at once); returns how many runs."""
        runs = 0
        with self._session() as session:
            while (
                job := jobs.claim_job(session, owner=owner, now=utcnow(), lease=scheduler.JOB_LEASE)
            ) is not None:
                scheduler.run_job(session, job, settings=self.site.settings, owner=owner)
                session.commit()
                runs += 1
        return runs


def rendered(mail: Mail | ShownMail) -> str:
    return f"{mail.subject}\n{mail.body}"


def render_row(session, settings, row: OutboxMessage) -> Mail | NotSent:
    """A queued row rendered as the worker would send it now."""
    envelope = Envelope(
        message_id=row.message_id,
        template=row.template,
        params=row.params,
        recipient_id=row.recipient_id,
        sign_in_token_id=row.sign_in_token_id,
    )
    return MailRenderer(settings).render(session, envelope, now=utcnow())
