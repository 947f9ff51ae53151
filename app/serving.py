"""``reclaim serve --workers N``: N uvicorn processes, each accepting on a listening socket of
its own, all bound to the same address with ``SO_REUSEPORT``.

uvicorn's own ``--workers`` shares one listening socket between its processes, and whichever
process wakes first takes the connections waiting on it: with keep-alive clients (a browser, a
proxy, wrk) one worker could hold nearly all of them for as long as they stayed open while the
other idled (``bench/question_page.py`` measured ``/hello`` at 3,000 or 7,000 requests/s
depending on which). With a socket per worker, the kernel spreads new connections over the
sockets by a hash of their addresses, so every worker gets its share whoever is awake.

The sockets are bound here, in the supervising process, and each worker is given its own: a
worker that dies is replaced on the same socket, so connections that arrived meanwhile wait
in its queue instead of being refused. The supervisor stops every worker on SIGINT or SIGTERM
(each finishes the requests in hand, as uvicorn does) and stops altogether if a worker fails
while starting (the application or its settings are broken, and would fail again).

Workers run optimised, from a bytecode cache of their own (``app.ops.bytecode``); before the
first starts, a short-lived process loads the application as a worker would, which writes the
cache's missing files (the first start after an install or upgrade) or finds it complete.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from typing import Any

from app.ops import bytecode, logs
from kernel.imports import hide

APP = "app.asgi:app"
STARTUP_FAILURE = 3  # uvicorn's exit code for a worker whose application did not start
STOP_GRACE_SECONDS = 30.0  # then a worker still finishing its requests is killed
COMPILE_SECONDS = 120.0  # the longest the workers wait for their bytecode cache

log = logs.get_logger("reclaim.serve")


def reuse_port_socket(host: str, port: int, *, backlog: int = 2048) -> socket.socket:
    """A listening TCP socket on ``host:port`` that other sockets may bind too
    (``SO_REUSEPORT``); the kernel balances new connections between them."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(backlog)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


# What uvicorn imports for ``--reload`` alone: a worker never reloads (about 1.2 MiB each).
NOT_IN_A_WORKER = ("watchfiles",)


def _run_worker(options: dict[str, Any], sock: socket.socket) -> None:
    """One worker process: uvicorn serving the site on its own socket."""
    hide(*NOT_IN_A_WORKER)
    import uvicorn

    config = uvicorn.Config(APP, **options)
    uvicorn.Server(config).run(sockets=[sock])


# What a worker imports: the spawned process's start, this module (the worker's target), the
# server's parts for these options and the application.
_LOAD_AS_A_WORKER = """
import json, sys
import multiprocessing.spawn, multiprocessing.reduction, multiprocessing.resource_sharer
import app.serving
from kernel.imports import hide
hide(*app.serving.NOT_IN_A_WORKER)
import uvicorn
uvicorn.Config(app.serving.APP, **json.loads(sys.argv[1])).load()
"""


def fill_bytecode_cache(options: dict[str, Any]) -> int | None:
    """Load the application and the server's parts as a worker would, in a process of its own
    that writes what the workers' bytecode cache lacks; its exit code (``None`` if it took too
    long and was stopped). A failure is left to the workers to report, as they would anyway."""
    try:
        done = subprocess.run(  # noqa: S603 (this interpreter, fixed code, our own options)
            # -P: the modules the workers would find, not a folder of the same names where the
            # command happens to run.
            [sys.executable, "-P", "-c", _LOAD_AS_A_WORKER, json.dumps(options)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=COMPILE_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    return done.returncode


class Supervisor:
    """Keeps ``len(sockets)`` worker processes running, one per socket."""

    def __init__(
        self,
        sockets: list[socket.socket],
        options: dict[str, Any],
        *,
        target: Callable[[dict[str, Any], socket.socket], None] = _run_worker,
    ) -> None:
        self.sockets = sockets
        self.options = options
        self.target = target
        self.context = multiprocessing.get_context("spawn")  # a fresh interpreter each
        self.processes: list[BaseProcess | None] = [None] * len(sockets)
        self.stopping = threading.Event()
        self.failed = False

    def _start(self, index: int) -> None:
        process = self.context.Process(
            target=self.target,
            args=(self.options, self.sockets[index]),
            name=f"reclaim-web-{index + 1}",
        )
        process.start()
        self.processes[index] = process
        log.info("web worker started", worker=index + 1, pid=process.pid)

    def stop(self, *_signal: object) -> None:
        self.stopping.set()

    def run(self) -> int:
        """Start the workers, replace any that dies, and return once stopped (the exit code)."""
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for index in range(len(self.sockets)):
                self._start(index)
            while not self.stopping.wait(0.5):
                self._replace_dead()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for sock in self.sockets:
                sock.close()
        return 1 if self.failed else 0

    def _replace_dead(self) -> None:
        for index, process in enumerate(self.processes):
            if process is None or process.is_alive():
                continue
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                log.error("web worker failed to start: stopping", worker=index + 1)
                self.failed = True  # it would fail the same way again
                self.stopping.set()
                return
            log.warning(
                "web worker stopped: replacing it", worker=index + 1, exit_code=process.exitcode
            )
            self._start(index)

    def _stop_all(self) -> None:
        alive = [p for p in self.processes if p is not None and p.is_alive()]
        for process in alive:
            assert process.pid is not None, "a started process"
            os.kill(process.pid, signal.SIGTERM)
        for process in alive:
            process.join(STOP_GRACE_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()


def serve_balanced(host: str, port: int, workers: int, options: dict[str, Any]) -> int:
    """Serve the site with ``workers`` processes, a ``SO_REUSEPORT`` socket each."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(workers):
            sockets.append(reuse_port_socket(host, port))
            port = sockets[0].getsockname()[1]  # port 0: the others share the first's
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    if bytecode.prepare_workers():
        fill_bytecode_cache(options)
    return Supervisor(sockets, options).run()
