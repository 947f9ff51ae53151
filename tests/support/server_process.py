"""``reclaim serve`` as a separate process group (2 workers, production settings), which a test
can kill with SIGKILL and start again on the same database."""

from __future__ import annotations

import base64
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support import free_port


def production_env(database_url: str, base_url: str, **more: str) -> dict[str, str]:
    def key() -> str:
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()

    return {
        "RECLAIM_ENVIRONMENT": "production",
        "RECLAIM_DATABASE_URL": database_url,
        "RECLAIM_SECRET_KEY": secrets.token_urlsafe(48),
        "RECLAIM_VAULT_KEYS": f"crash:{key()}",
        "RECLAIM_BLIND_INDEX_KEY": key(),
        "RECLAIM_BASE_URL": base_url,
        **more,
    }


class ServerProcess:
    def __init__(
        self,
        env: dict[str, str],
        workdir: Path,
        *,
        workers: int = 2,
        args: tuple[str, ...] = (),
        log: Path | None = None,
    ) -> None:
        """``args``: more options of ``reclaim serve``; ``log``: a file for what the server
        writes (its log), which is otherwise thrown away."""
        self.args = args
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env, "RECLAIM_BASE_URL": self.url}
        self.workdir = workdir
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            str(Path(sys.executable).parent / "reclaim"),
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            *self.args,
        ]
        output = subprocess.DEVNULL if self.log is None else self.log.open("ab")
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=self.workdir,
            stdout=output,
            stderr=output,
            start_new_session=True,  # its own process group: the workers die with it
        )
        if self.log is not None:
            output.close()  # the server has its own copy
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        """SIGKILL to the server and every worker at once, as a power cut would."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
            self.process = None
