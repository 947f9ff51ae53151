"""``reclaim serve`` keeps no access log unless asked: it would record visitors' IP addresses."""

from __future__ import annotations

import os

import pytest
import uvicorn
from typer.testing import CliRunner

from app.cli import cli


@pytest.mark.parametrize(("flags", "expected"), [([], False), (["--access-log"], True)])
def test_serve_access_log_is_off_unless_asked(monkeypatch, flags, expected) -> None:
    calls = []
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")  # an operator's own choice is kept
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    result = CliRunner().invoke(cli, ["serve", "--workers", "2", *flags])
    assert result.exit_code == 0, result.output
    assert calls == [
        (
            "app.asgi:app",
            {
                "host": "127.0.0.1",
                "port": 8000,
                "workers": 2,
                "reload": False,
                "proxy_headers": False,
                "server_header": False,
                "log_level": "info",
                "access_log": expected,
                "log_config": None,
            },
        )
    ]
    assert os.environ["MALLOC_ARENA_MAX"] == "8"
