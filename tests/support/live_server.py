"""The real app served by uvicorn on 127.0.0.1, in a thread, on a fresh SQLite file."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from app.settings import Settings
from tests.support import free_port


@dataclass
class LiveServer:
    url: str
    settings: Settings
    engine: object


@contextmanager
def live_server(
    tmp_path: Path,
    *,
    environment: str = "development",
    database_url: str | None = None,
    **settings_overrides: object,
) -> Iterator[LiveServer]:
    """Serve on a fresh SQLite file, or on ``database_url`` (an empty database, migrated here)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = database_url or f"sqlite:///{tmp_path / 'live.db'}"
    upgrade(database_url)
    settings = Settings(
        environment=environment,
        database_url=database_url,
        base_url=url,
        smtp_host=None,
        _env_file=None,
        **settings_overrides,
    )
    app = create_app(settings)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    else:
        raise RuntimeError("the live server did not start")
    try:
        yield LiveServer(url=url, settings=settings, engine=make_engine(database_url))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
