"""``reclaim serve`` keeps no access log unless asked: it would record visitors' IP addresses.
It runs the worker in the web process on SQLite (the embedded default, nothing else needed)
unless told ``--no-worker``, and not on PostgreSQL unless told ``--worker``."""

from __future__ import annotations

import os

import pytest
import uvicorn
from typer.testing import CliRunner

from app import serving
from app.cli import cli

SERVER_OPTIONS = {
    "proxy_headers": False,
    "server_header": False,
    "log_level": "info",
    "ws": "none",  # the site has no WebSockets
}


@pytest.mark.parametrize(("flags", "expected"), [([], False), (["--access-log"], True)])
def test_serve_access_log_is_off_unless_asked(monkeypatch, flags, expected) -> None:
    monkeypatch.setenv("RECLAIM_WORKER_IN_PROCESS", "false")  # restored afterwards
    calls = []
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")  # an operator's own choice is kept
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    result = CliRunner().invoke(cli, ["serve", *flags])
    assert result.exit_code == 0, result.output
    assert calls == [
        (
            "app.asgi:app",
            {
                "host": "127.0.0.1",
                "port": 8000,
                "reload": False,
                **SERVER_OPTIONS,
                "access_log": expected,
                "log_config": None,
            },
        )
    ]
    assert os.environ["MALLOC_ARENA_MAX"] == "8"


@pytest.mark.parametrize(("flags", "expected"), [([], False), (["--access-log"], True)])
def test_serve_with_workers_gives_each_its_own_socket_with_the_same_options(
    monkeypatch, flags, expected
) -> None:
    monkeypatch.setenv("RECLAIM_WORKER_IN_PROCESS", "false")
    calls = []
    monkeypatch.setattr(serving, "serve_balanced", lambda *args: calls.append(args) or 0)
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: pytest.fail("one socket"))
    result = CliRunner().invoke(
        cli, ["serve", "--host", "0.0.0.0", "--port", "8123", "--workers", "3", *flags]
    )
    assert result.exit_code == 0, result.output
    assert calls == [
        (
            "0.0.0.0",
            8123,
            3,
            {**SERVER_OPTIONS, "access_log": expected, "log_config": None},
        )
    ]


@pytest.mark.parametrize(
    ("database", "flags", "expected"),
    [
        ("sqlite:///var/reclaim.db", [], "true"),
        ("sqlite:///var/reclaim.db", ["--no-worker"], "false"),
        ("postgresql+psycopg://reclaim@db/reclaim", [], "false"),
        ("postgresql+psycopg://reclaim@db/reclaim", ["--worker"], "true"),
    ],
)
def test_serve_runs_the_worker_in_process_on_the_embedded_default(
    monkeypatch, database, flags, expected
) -> None:
    from app.settings import get_settings

    monkeypatch.setenv("RECLAIM_WORKER_IN_PROCESS", "false")  # restored afterwards
    monkeypatch.setenv("RECLAIM_DATABASE_URL", database)
    get_settings.cache_clear()
    seen = []
    monkeypatch.setattr(
        uvicorn, "run", lambda app, **_: seen.append(os.environ["RECLAIM_WORKER_IN_PROCESS"])
    )
    try:
        result = CliRunner().invoke(cli, ["serve", *flags])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert seen == [expected]
