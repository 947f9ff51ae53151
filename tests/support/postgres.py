"""A throwaway PostgreSQL cluster for tests.

``running_postgres()`` initdb's a cluster in a fresh temporary folder, starts it on 127.0.0.1 on a
free port with durability switched off (fsync, synchronous_commit, full_page_writes), creates the
role ``reclaim`` (LOGIN CREATEDB, not a superuser) and the database ``reclaim_test`` it owns, and
yields ``postgresql+psycopg://reclaim@127.0.0.1:PORT/reclaim_test``. Loopback uses trust auth.
Afterwards the server is stopped and the folder deleted.

PostgreSQL refuses to run as root, so as root the folder is given to the ``postgres`` user and
``initdb``/``pg_ctl`` run through ``runuser -u postgres --``.

If ``RECLAIM_TEST_DATABASE_URL`` holds a PostgreSQL URL nothing is started and that URL is
yielded instead. ``RECLAIM_PG_BIN`` may name the folder holding the PostgreSQL binaries.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from tests.support import free_port

DATABASE = "reclaim_test"
ROLE = "reclaim"
SUPERUSER = "postgres"
ENV_URL = "RECLAIM_TEST_DATABASE_URL"
ENV_BIN = "RECLAIM_PG_BIN"

_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "log_min_messages": "warning",
    "logging_collector": "off",
}


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL binaries are missing or the server would not start."""


def pg_bin_dir() -> Path:
    """The folder holding initdb, pg_ctl and pg_dump (newest /usr/lib/postgresql/*/bin first)."""
    configured = os.environ.get(ENV_BIN)
    candidates = [Path(configured)] if configured else []
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(
        (Path(path) for path in versions),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    raise PostgresUnavailable(
        "PostgreSQL binaries (initdb, pg_ctl) not found: install postgresql-15 "
        "(scripts/install-test-deps.sh) or set RECLAIM_PG_BIN to their folder, "
        f"or point {ENV_URL} at a running server"
    )


def pg_dump_path() -> str:
    """The pg_dump binary that goes with the PostgreSQL used by the tests."""
    binary = pg_bin_dir() / "pg_dump"
    if not binary.is_file():
        raise PostgresUnavailable(f"pg_dump not found in {binary.parent}")
    return str(binary)


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://...``) as a libpq connection URI."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def sqlalchemy_url(url: str) -> str:
    """Any PostgreSQL URL (``postgres://``, ``postgresql://``...) with the psycopg 3 driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def pg_dump(url: str, *, extra_args: tuple[str, ...] = ()) -> str:
    """The whole database at ``url`` (schema and data, plain SQL) as text."""
    result = subprocess.run(
        [pg_dump_path(), "--no-owner", "--no-privileges", *extra_args, "--dbname", libpq_url(url)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pg_dump failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def fresh_database(url: str, name: str) -> str:
    """Create an empty database ``name`` owned by the URL's user; return its URL (same server)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe database name {name!r}")
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


class PostgresServer:
    """One throwaway cluster. Use as a context manager, or call ``start()`` and ``stop()``."""

    def __init__(self, *, database: str = DATABASE, role: str = ROLE) -> None:
        self.database = database
        self.role = role
        self.bin_dir = pg_bin_dir()
        self.port: int | None = None
        self.root: Path | None = None
        self._as_root = _running_as_root()

    @property
    def data_dir(self) -> Path:
        assert self.root is not None, "server not started"
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        assert self.root is not None, "server not started"
        return self.root / "postgres.log"

    @property
    def url(self) -> str:
        """``postgresql+psycopg://reclaim@127.0.0.1:PORT/reclaim_test``."""
        return f"postgresql+psycopg://{self.role}@127.0.0.1:{self.port}/{self.database}"

    @property
    def admin_url(self) -> str:
        """The same server as the ``postgres`` superuser, database ``postgres``."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bin_dir / command[0]), *command[1:]]
        if self._as_root:
            argv = ["runuser", "-u", SUPERUSER, "--", *argv]
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=self.root,
        )

    def _check(self, result: subprocess.CompletedProcess[str], what: str) -> None:
        if result.returncode != 0:
            log = (
                self.log_file.read_text(errors="replace")[-3000:] if self.log_file.exists() else ""
            )
            raise PostgresUnavailable(
                f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n{log}"
            )

    def start(self) -> str:
        base = "/tmp" if self._as_root else None
        self.root = Path(tempfile.mkdtemp(prefix="reclaim-pg-", dir=base))
        atexit.register(self.stop)  # in case the test run ends without leaving the context
        try:
            if self._as_root:
                shutil.chown(self.root, user=SUPERUSER, group=SUPERUSER)
            self._check(
                self._run(
                    "initdb",
                    "--pgdata",
                    str(self.data_dir),
                    "--username",
                    SUPERUSER,
                    "--auth",
                    "trust",
                    "--encoding",
                    "UTF8",
                    "--locale",
                    "C",
                    "--no-sync",
                ),
                "initdb",
            )
            self._start_on_free_port()
            self._wait_until_ready()
            self._create_role_and_database()
        except BaseException:
            self.stop()
            raise
        return self.url

    def _start_on_free_port(self) -> None:
        conf = self.data_dir / "postgresql.conf"
        original = conf.read_text()
        for _attempt in range(5):
            self.port = free_port()
            settings = dict(_SETTINGS, port=str(self.port))
            settings["unix_socket_directories"] = f"'{self.root}'"
            extra = "".join(f"{key} = {value}\n" for key, value in settings.items())
            conf.write_text(original + "\n# reclaim tests\n" + extra)
            result = self._run(
                "pg_ctl",
                "--pgdata",
                str(self.data_dir),
                "--log",
                str(self.log_file),
                "--wait",
                "--timeout",
                "60",
                "start",
                timeout=90,
            )
            if result.returncode == 0:
                return
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            if "could not bind" not in log and "Address already in use" not in log:
                self._check(result, "pg_ctl start")
        self._check(result, "pg_ctl start (no free port)")

    def _wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(libpq_url(self.admin_url), connect_timeout=2):
                    return
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable(f"PostgreSQL refused connections: {error}") from error
                time.sleep(0.1)

    def _create_role_and_database(self) -> None:
        with psycopg.connect(libpq_url(self.admin_url), autocommit=True) as connection:
            connection.execute(f'CREATE ROLE "{self.role}" LOGIN CREATEDB')
            connection.execute(f'CREATE DATABASE "{self.database}" OWNER "{self.role}"')

    def stop(self) -> None:
        if self.root is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "--pgdata", str(self.data_dir), "--mode", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None
        atexit.unregister(self.stop)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@contextmanager
def running_postgres() -> Iterator[str]:
    """Yield a SQLAlchemy URL of an empty PostgreSQL database; clean up afterwards."""
    configured = os.environ.get(ENV_URL, "")
    if configured.startswith(("postgresql", "postgres:")):
        yield sqlalchemy_url(configured)
        return
    with PostgresServer() as server:
        yield server.url
