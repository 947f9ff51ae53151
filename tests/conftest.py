"""Shared fixtures: real databases (SQLite and PostgreSQL) migrated by Alembic, one transaction
per test rolled back at the end, an app bound to that transaction, and factories."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlmodel import Session

from app.db import make_engine
from app.deps import get_db
from app.mail import DevOutbox
from app.main import create_app
from app.migrate import upgrade
from app.ops import logs
from app.ratelimit.limiter import RateLimiter
from app.settings import Settings
from app.wiring import Site, build_site
from kernel.hooks import session_info
from tests.support.postgres import running_postgres

BACKENDS = ["sqlite", "postgresql"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        action="append",
        choices=BACKENDS,
        help="Database backend(s) to test (default: both).",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("backend") or BACKENDS
        metafunc.parametrize("backend", chosen, scope="session")


@pytest.fixture(scope="session", autouse=True)
def _structured_logs() -> None:
    """Log lines go through structlog as in a running site (app.ops.logs), so that a test that
    reads them (tests/app/ops) sees what production writes."""
    logs.configure(Settings(environment="test", _env_file=None))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with running_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def database_url(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> str:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'reclaim.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    if engine.dialect.name == "sqlite":
        _sqlite_real_savepoints(engine)
    yield engine
    engine.dispose()


def _sqlite_real_savepoints(engine: Engine) -> None:
    """pysqlite opens a transaction only before DML, so a SAVEPOINT issued first starts the
    transaction itself and its RELEASE commits: a test's writes then outlive its rollback.
    SQLAlchemy's recipe: let SQLAlchemy emit BEGIN itself."""

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session")
def limiter_engine(
    backend: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """Rate-limit counters are written outside the test's transaction (as in production); on
    SQLite they get their own file so they do not wait for the test's write lock."""
    if backend != "sqlite":
        yield engine
        return
    url = f"sqlite:///{tmp_path_factory.mktemp('limits') / 'limits.db'}"
    upgrade(url)
    separate = make_engine(url)
    yield separate
    separate.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def site(settings: Settings, engine: Engine) -> Site:
    """The site under test (its mailer and hooks), on the session's engine."""
    return build_site(settings, engine=engine)


def bound_session(connection, site: Site) -> Session:
    """A session inside the test's transaction, with the site's hooks; commits become
    savepoints."""
    return Session(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        info=session_info(site.hooks),
    )


@pytest.fixture
def session(connection, site: Site) -> Iterator[Session]:
    with bound_session(connection, site) as s:
        yield s


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        environment="test", database_url=database_url, base_url="http://testserver", smtp_host=None
    )


@pytest.fixture
def app(settings: Settings, site: Site, connection, limiter_engine: Engine):
    application = create_app(settings, site=site)
    application.state.limiter = RateLimiter(limiter_engine)

    def request_session() -> Iterator[Session]:
        with bound_session(connection, site) as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    application.dependency_overrides[get_db] = request_session
    yield application
    application.state.limiter.strategy.storage.reset()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


@pytest.fixture
def outbox(site: Site) -> DevOutbox:
    mailer = site.mailer
    assert isinstance(mailer, DevOutbox)
    mailer.messages.clear()
    return mailer


# Query counting ------------------------------------------------------------------------------


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, *args) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(connection):
    counter = QueryCounter()
    event.listen(connection, "before_cursor_execute", counter)
    yield counter
    event.remove(connection, "before_cursor_execute", counter)
