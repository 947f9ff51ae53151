"""Fixtures for the outbox: databases whose transactions really commit (a worker reads what a
request committed, from connections of its own), an SMTP sink, and workers as threads or as
real processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.migrate import upgrade
from app.settings import Settings
from app.wiring import Site, build_site
from tests.factories import ROOT
from tests.support.postgres import fresh_database, libpq_url
from tests.support.smtp import SmtpSink, running_smtp

# Fast retries and short leases, so that what takes minutes in production takes moments here.
FAST = {
    "mail_retry_seconds": 0.05,
    "mail_lease_seconds": 2.0,
    "worker_poll_seconds": 0.2,
    "smtp_starttls": False,
    "smtp_timeout_seconds": 5.0,
}


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str) -> str:
    """A migrated PostgreSQL database to copy for each test (migrating takes a second)."""
    url = fresh_database(postgres_url, "outbox_template")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def migrated_template(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> str:
    if backend == "postgresql":
        return request.getfixturevalue("postgres_template")
    url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.db'}"
    upgrade(url)
    return url


def _copy(template_url: str, tmp_path: Path) -> str:
    template = make_url(template_url)
    if template.get_backend_name() == "sqlite":
        copy = tmp_path / "committed.db"
        shutil.copyfile(str(template.database), copy)
        return f"sqlite:///{copy}"
    name = f"outbox_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq_url(template_url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')
    return template.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def committed_url(migrated_template: str, tmp_path: Path) -> str:
    """A new, migrated database of its own for this test (nothing rolled back), on each
    backend in turn."""
    return _copy(migrated_template, tmp_path)


@pytest.fixture
def postgres_committed_url(postgres_template: str, tmp_path: Path) -> str:
    """The same, for what only PostgreSQL does (several worker processes, LISTEN/NOTIFY)."""
    return _copy(postgres_template, tmp_path)


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with running_smtp() as sink:
        yield sink


@contextmanager
def _sites(url: str) -> Iterator[Callable[..., Site]]:
    sites: list[Site] = []

    def make(smtp: SmtpSink | None = None, *, smtp_port: int | None = None, **overrides) -> Site:
        values = {**FAST, **overrides}
        if smtp is not None or smtp_port is not None:
            values["smtp_host"] = "127.0.0.1"
            values["smtp_port"] = smtp_port or smtp.port
        settings = Settings(
            environment="test",
            database_url=url,
            base_url="http://testserver",
            _env_file=None,
            **values,
        )
        site = build_site(settings)
        sites.append(site)
        return site

    try:
        yield make
    finally:
        for site in sites:
            site.engine.dispose()


@pytest.fixture
def make_site(committed_url: str) -> Iterator[Callable[..., Site]]:
    """``make_site(smtp=sink, **settings)``: a site on ``committed_url``, fast to retry."""
    with _sites(committed_url) as make:
        yield make


@pytest.fixture
def make_postgres_site(postgres_committed_url: str) -> Iterator[Callable[..., Site]]:
    with _sites(postgres_committed_url) as make:
        yield make


def worker_environment(url: str, smtp: SmtpSink, **overrides: object) -> dict[str, str]:
    settings = {**FAST, **overrides}
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECLAIM_")}
    env.update(
        {
            "RECLAIM_ENVIRONMENT": "test",
            "RECLAIM_DATABASE_URL": url,
            "RECLAIM_BASE_URL": "http://testserver",
            "RECLAIM_SMTP_HOST": smtp.host,
            "RECLAIM_SMTP_PORT": str(smtp.port),
            **{f"RECLAIM_{k.upper()}": str(v) for k, v in settings.items()},
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:
    """``start_worker(url, smtp, **settings)``: ``reclaim worker`` in a process of its own."""
    started: list[subprocess.Popen] = []

    def start(url: str, smtp: SmtpSink, **overrides: object) -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "worker"],
            env=worker_environment(url, smtp, **overrides),
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
