"""Waking a worker as soon as work is queued, instead of only when it next polls.

In one process (the embedded default) a committed transaction that queued work calls the
site's ``work_queued`` hook, which sets the worker's events directly. Across processes,
PostgreSQL delivers the ``NOTIFY`` that the transaction sent when it committed
(``app.outbox.queue.note_work``) to every worker that listens (``listen``).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import URL

from app.outbox.queue import CHANNEL

log = logging.getLogger("reclaim.outbox")


class Wakeup:
    """Events to set when work arrives: one per waiting loop."""

    def __init__(self) -> None:
        self._events: list[threading.Event] = []
        self._lock = threading.Lock()

    def subscribe(self) -> threading.Event:
        event = threading.Event()
        with self._lock:
            self._events.append(event)
        return event

    def unsubscribe(self, event: threading.Event) -> None:
        with self._lock:
            if event in self._events:
                self._events.remove(event)

    def notify(self) -> None:
        with self._lock:
            events = list(self._events)
        for event in events:
            event.set()


def libpq_url(url: URL) -> str:
    """A SQLAlchemy PostgreSQL URL as psycopg's connection string."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def listen(url: URL, wakeup: Wakeup, stopping: threading.Event, *, retry_seconds: float) -> None:
    """Until ``stopping``: LISTEN on the outbox channel and wake ``wakeup`` on every NOTIFY.
    A lost connection is opened again; the loops poll meanwhile, so nothing is missed."""
    import psycopg

    while not stopping.is_set():
        try:
            with psycopg.connect(libpq_url(url), autocommit=True) as connection:
                connection.execute(f"LISTEN {CHANNEL}")
                wakeup.notify()  # anything queued while nobody listened
                while not stopping.is_set():
                    for _notice in connection.notifies(timeout=0.5):
                        wakeup.notify()
        except psycopg.Error as error:
            log.warning("outbox listener: %s; trying again", type(error).__name__)
            stopping.wait(retry_seconds)
