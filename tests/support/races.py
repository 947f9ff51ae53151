"""Racing two actions truly in parallel: two threads, two connections of a real engine (the
production pool and pragmas), released together by a barrier, many rounds in a row."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.db import make_engine
from app.migrate import upgrade
from app.settings import Settings
from app.wiring import Site, build_site

ROUNDS = 100

Action = Callable[[Session], object]


@contextmanager
def fresh_site(backend: str, tmp_path: Path, postgres_url: Callable[[], str]) -> Iterator[Site]:
    """A site on a database of its own (so that both threads see each other's commits)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.db'}"
        admin = None
    else:
        base = postgres_url()
        name = f"race_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    settings = Settings(environment="test", database_url=url, smtp_host=None, _env_file=None)
    site = build_site(settings, engine=make_engine(url))
    try:
        yield site
    finally:
        site.engine.dispose()
        if admin is not None:
            _drop(admin, name)
            admin.dispose()


def _drop(admin: Engine, name: str) -> None:
    """Drop the race's database. An autovacuum worker (the superuser's) may be in it for a
    moment, and the test role may not end that: try again shortly, then leave the database to
    the throwaway cluster rather than fail a test that has passed."""
    for _ in range(40):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        except DBAPIError:
            time.sleep(0.25)
        else:
            return


def race(site: Site, first: Action, second: Action) -> tuple[object, object]:
    """Run both actions at once, each in its own committed transaction; each outcome is the
    action's result, or the exception it raised (the transaction then rolled back)."""
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def run(index: int, action: Action) -> None:
        try:
            with site.session() as session:
                barrier.wait(timeout=10)
                try:
                    result = action(session)
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
            outcomes[index] = result
        except Exception as error:  # the outcome under test
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes[0], outcomes[1]
