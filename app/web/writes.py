"""Endpoints that write a post commit in their own worker thread, as soon as they return.

The request's session is otherwise committed when its dependency closes, on the event loop,
after every other task queued there: meanwhile the transaction would keep the database's write
lock (SQLite has one writer at a time), and under load the other workers' posts would wait for
it. Committing at once, in the thread that wrote, holds the lock for the post's few statements
only (measured with ``bench/question_page.py``'s posting run). A failed endpoint (it raised)
commits nothing: the session's dependency rolls it back. An endpoint whose response takes work
to build (a message, an address, a signed flash cookie) commits before building it
(``session.commit()`` once its command has returned), which this decorator's commit then finds
done. On SQLite that took a fifth off the time a reply holds the write lock (0.76 to 0.61 ms
in process). The posting rate stayed the same, because CPU is the limit there
(``bench/README.md``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

Params = ParamSpec("Params")
Result = TypeVar("Result")


def commits_in_worker_thread(endpoint: Callable[Params, Result]) -> Callable[Params, Result]:
    """Decorate a plain ``def`` endpoint whose ``Session`` argument holds the post it wrote."""

    @functools.wraps(endpoint)
    def run(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        response = endpoint(*args, **kwargs)
        for value in kwargs.values():
            if isinstance(value, Session):
                value.commit()
        return response

    return run
