"""What the outbox asks of the site that runs it, declared as a hook (``kernel.hooks``)."""

from __future__ import annotations

from kernel.hooks import hookspec


class OutboxSpec:
    @hookspec
    def work_queued(self) -> None:
        """A transaction that queued mail or requested a job has just committed: wake this
        site's worker, if one runs in this process (others hear PostgreSQL's NOTIFY)."""
