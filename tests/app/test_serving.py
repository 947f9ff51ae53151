"""``reclaim serve --workers N``: a listening socket per worker (``SO_REUSEPORT``), so that
connections are spread over every worker; a worker that dies is replaced; SIGTERM to the
supervisor stops them all."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from app.migrate import upgrade
from app.serving import reuse_port_socket
from tests.support.server_process import ServerProcess, production_env

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="Linux only")


def workers_of(server: ServerProcess) -> list[int]:
    assert server.process is not None
    out = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
    ).stdout
    pids = []
    for pid in out.split():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue  # it exited between pgrep and now (a worker being replaced)
        if b"resource_tracker" not in cmdline:
            pids.append(int(pid))
    return pids


def connection_owners(port: int) -> Counter[int]:
    """How many established connections to ``port`` each process holds (server side)."""
    out = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return Counter(int(pid) for pid in re.findall(r"pid=(\d+)", out))


@pytest.fixture
def server(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'serve.db'}"
    upgrade(database_url)
    process = ServerProcess(production_env(database_url, "http://127.0.0.1"), tmp_path)
    process.start()
    try:
        yield process
    finally:
        process.stop()


def test_each_worker_accepts_on_a_listening_socket_of_its_own(server) -> None:
    """uvicorn's own workers all accept on one socket, and whichever wakes first takes what
    waits on it (bench/README.md: whole benchmark runs with one worker holding every
    connection); here the kernel splits new connections between the workers' sockets."""
    workers = workers_of(server)
    out = subprocess.run(
        ["ss", "-Hltnp", f"( sport = :{server.port} )"], capture_output=True, text=True, check=True
    ).stdout
    listening = [line for line in out.splitlines() if line.strip()]
    assert len(listening) == 2, out
    owners = [
        {int(pid) for pid in re.findall(r"pid=(\d+)", line)} & set(workers) for line in listening
    ]
    assert sorted(map(sorted, owners)) == sorted([[pid] for pid in workers]), out


def test_a_worker_loads_no_file_watcher(server) -> None:
    """uvicorn imports watchfiles for ``--reload``, which a worker never does (app.serving)."""
    workers = workers_of(server)
    assert len(workers) == 2
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for _ in range(4):
            assert client.get("/healthz").status_code == 200
    for pid in workers:
        maps = Path(f"/proc/{pid}/maps").read_text()
        assert "watchfiles" not in maps, pid


def test_connections_are_spread_over_both_workers(server) -> None:
    workers = workers_of(server)
    assert len(workers) == 2
    clients = [httpx.Client(base_url=server.url, timeout=10) for _ in range(48)]
    try:
        for client in clients:  # one keep-alive connection each, accepted and answered
            assert client.get("/healthz").status_code == 200
        owners = connection_owners(server.port)
        assert set(owners) == set(workers), owners
        assert sum(owners.values()) == 48
        # Spread by a hash of each connection's address: even on average; a single worker
        # with fewer than 10 of 48 is about one chance in 100,000.
        assert min(owners.values()) >= 10, owners
    finally:
        for client in clients:
            client.close()


def test_a_worker_that_dies_is_replaced_on_its_socket(server) -> None:
    first, second = workers_of(server)
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = workers_of(server)
        if len(now) == 2 and first not in now:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the dead worker was not replaced")
    assert second in now
    # Every connection is answered: none goes to a socket that nobody accepts on.
    for _ in range(30):
        with httpx.Client(base_url=server.url, timeout=10) as client:
            assert client.get("/healthz").status_code == 200


def test_sigterm_to_the_supervisor_stops_every_worker(server) -> None:
    workers = workers_of(server)
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(30) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in _state(pid)
    server.process = None
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/healthz", timeout=2)


def _state(pid: int) -> str:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text.rsplit(")", 1)[1].split()[0]


def test_a_port_in_use_by_another_program_is_refused() -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))  # no SO_REUSEPORT: nobody may share it
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(OSError, match="in use"):
            reuse_port_socket("127.0.0.1", port)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize(("args", "logged"), [((), False), (("--access-log",), True)])
def test_the_server_writes_an_access_line_only_when_asked(tmp_path, args, logged, workers) -> None:
    """uvicorn turns its access log off before it loads the site, whose logging would switch it
    back on (it did: every request was logged twice, once with the visitor's address); the
    site's own request line, which has no address, is written either way."""
    database_url = f"sqlite:///{tmp_path / 'serve.db'}"
    upgrade(database_url)
    log = tmp_path / "server.log"
    process = ServerProcess(
        production_env(database_url, "http://127.0.0.1"),
        tmp_path,
        workers=workers,
        args=args,
        log=log,
    )
    process.start()
    try:
        with httpx.Client(base_url=process.url, timeout=10) as client:
            for _ in range(6):
                assert client.get("/consultations").status_code == 200
    finally:
        process.stop()
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(r.get("event", "").startswith("Started server process") for r in records)
    assert not any("color_message" in r for r in records)  # no terminal colour codes in a file
    access = [r["event"] for r in records if r.get("logger") == "uvicorn.access"]
    requests = [r for r in records if r.get("logger") == "reclaim.request"]
    assert [r["route"] for r in requests].count("/consultations") == 6
    if logged:
        assert sum('"GET /consultations HTTP/1.1" 200' in event for event in access) == 6
        assert not any("127.0.0.1" in event for event in access)  # the address is scrubbed
    else:
        assert access == []
