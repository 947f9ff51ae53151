"""One running site: its settings, database engine, hook registry and the wake-up of its
worker, built once and held by whoever runs it (the web application on ``app.state.site``, a
CLI command, a test). Nothing here is a process-wide global, so two sites in one process never
share state."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from app import i18n
from app.db import make_engine, session_scope
from app.hooks import make_hooks
from app.outbox.wakeup import Wakeup
from app.settings import Settings
from kernel.hooks import Registry, session_info
from kernel.localtime import SiteTime


@dataclass(frozen=True)
class Site:
    settings: Settings
    engine: Engine
    hooks: Registry
    wakeup: Wakeup  # set when this process commits queued mail or jobs (app.outbox)

    def session(self) -> Session:
        """A new session on this site's database, carrying its hooks."""
        return Session(self.engine, expire_on_commit=False, info=session_info(self.hooks))

    @property
    def time(self) -> SiteTime:
        """How this site shows and reads times (``RECLAIM_TIME_ZONE``)."""
        return SiteTime.named(self.settings.time_zone)

    def transaction(self) -> AbstractContextManager[Session]:
        """One unit of work outside a request: commit on success, roll back on error."""
        return session_scope(self.engine, self.hooks)


def build_site(settings: Settings, *, engine: Engine | None = None) -> Site:
    i18n.load()  # the Welsh catalogue, once per process
    wakeup = Wakeup()
    return Site(
        settings=settings,
        engine=engine or make_engine(settings.database_url, pool_size=settings.pool_size),
        hooks=make_hooks(settings, wakeup),
        wakeup=wakeup,
    )
