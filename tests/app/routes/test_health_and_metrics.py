"""/healthz says the process lives; /readyz checks the database, the schema and the vault keys
(503 naming what failed); /metrics only when enabled and only with the bearer token; /hello
only for the benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.main import create_app
from app.migrate import upgrade
from app.outbox.queue import Template, queue_mail
from app.settings import Settings
from app.wiring import build_site
from kernel.clock import utcnow
from tests.factories import ROOT, make_post, make_report, make_user

TOKEN = "scraper-token-0123456789abcdef"
PRODUCTION_SECRETS = {
    "secret_key": "s" * 40,
    "vault_keys": "k1:" + "A" * 43 + "=",
    "blind_index_key": "B" * 43 + "=",
}


def _client(tmp_path, **overrides) -> TestClient:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    if overrides.pop("migrate", True):
        upgrade(url)
    settings = Settings(database_url=url, _env_file=None, **overrides)
    return TestClient(create_app(settings, site=build_site(settings)))


def test_healthz_is_always_ok_and_touches_nothing(tmp_path) -> None:
    client = _client(tmp_path, migrate=False)  # not even a schema
    assert client.get("/healthz").text == "ok"


def test_readyz_is_ok_when_every_check_passes(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "schema": "ok", "vault_keys": "ok", "mail": "ok"},
        "figures": {"mail": {"waiting": 0, "due": 0, "failed": 0}},
    }
    assert response.headers["cache-control"] == "no-store"


def test_readyz_names_a_schema_behind_the_migrations(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, revision="0005")
    settings = Settings(database_url=url, _env_file=None)
    client = TestClient(create_app(settings, site=build_site(settings)))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["failed"] == ["schema"]
    assert "at 0005" in body["checks"]["schema"] and "reclaim migrate" in body["checks"]["schema"]


def test_readyz_names_vault_keys_that_do_not_load(tmp_path) -> None:
    client = _client(tmp_path, vault_keys="k1:not-a-key")
    body = client.get("/readyz").json()
    assert body["failed"] == ["vault_keys"]
    assert "not-a-key" not in str(body)  # the key's text is never shown


def test_readyz_names_a_database_that_does_not_answer(tmp_path) -> None:
    from tests.support import free_port

    url = f"postgresql+psycopg://reclaim@127.0.0.1:{free_port()}/nothing_here"
    settings = Settings(database_url=url, _env_file=None)
    client = TestClient(create_app(settings, site=build_site(settings)))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert set(response.json()["failed"]) == {"database", "schema"}
    assert "nothing_here" not in response.text  # no connection string


def test_readyz_takes_more_checks(client, app) -> None:
    app.state.readiness.add("search", lambda: "the search index is being rebuilt")
    body = client.get("/readyz").json()
    assert body["failed"] == ["search"] and body["checks"]["search"].startswith("the search")


def _queue_outcome_mail(site, *, due_at: datetime, count: int = 1) -> None:
    with site.transaction() as session:
        author = make_user(session)
        for _ in range(count):
            queue_mail(
                session,
                template=Template.outcome_published,
                recipient_id=author.id,
                now=due_at,
                params={"slug": "a-consultation"},
            )


def test_readyz_shows_mail_waiting_and_fails_when_due_mail_has_waited_too_long(tmp_path) -> None:
    client = _client(tmp_path)
    site = client.app.state.site
    _queue_outcome_mail(site, due_at=utcnow(), count=2)
    fresh = client.get("/readyz")
    assert fresh.status_code == 200
    assert fresh.json()["figures"]["mail"] == {"waiting": 2, "due": 2, "failed": 0}
    _queue_outcome_mail(site, due_at=utcnow() - timedelta(hours=1))
    stale = client.get("/readyz")
    assert stale.status_code == 503 and stale.json()["failed"] == ["mail"]
    assert "reclaim worker" in stale.json()["checks"]["mail"]


def test_hello_is_not_served_in_production_unless_the_benchmark_asks(tmp_path) -> None:
    plain = _client(tmp_path, environment="production", **PRODUCTION_SECRETS)
    assert plain.get("/hello").status_code == 404
    bench = _client(tmp_path, environment="production", bench_routes=True, **PRODUCTION_SECRETS)
    assert bench.get("/hello").text == "hello"


def test_metrics_are_off_by_default(client) -> None:
    assert client.get("/metrics").status_code == 404


def test_metrics_need_a_long_enough_token_to_be_enabled() -> None:
    with pytest.raises(ValidationError, match="RECLAIM_METRICS_TOKEN"):
        Settings(metrics_enabled=True, _env_file=None)
    with pytest.raises(ValidationError, match="at least 24"):
        Settings(metrics_enabled=True, metrics_token="short", _env_file=None)


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong-token-0123456789abcdef", TOKEN, "Basic xyz"]
)
def test_metrics_refuse_a_scraper_without_the_bearer_token(tmp_path, authorization) -> None:
    client = _client(tmp_path, metrics_enabled=True, metrics_token=TOKEN)
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "reclaim_" not in response.text


def test_metrics_count_requests_by_route_and_status_and_cases_waiting(tmp_path) -> None:
    client = _client(tmp_path, metrics_enabled=True, metrics_token=TOKEN)
    site = client.app.state.site
    with site.transaction() as session:
        post = make_post(session)
        make_report(session, post)
    client.get("/")
    client.get("/answers/999999")
    client.get(f"/answers/{post.id}")
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'reclaim_http_requests_total{method="GET",route="/",status="200"} 1.0' in text
    assert (
        'reclaim_http_requests_total{method="GET",route="/answers/{answer_id}",status="404"} 1.0'
        in text
    )
    assert 'reclaim_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/"}' in text
    assert (
        'reclaim_moderation_cases_waiting{band="1",label="Threats of violence (category 1)"} 1.0'
        in text
    )
    assert 'reclaim_moderation_cases_waiting{band="4",label="Site rules"} 0.0' in text
    assert "/answers/999999" not in text
    assert 'reclaim_mail_messages{state="waiting"} 0.0' in text


def test_metrics_show_mail_waiting_and_how_long_the_oldest_has_waited(tmp_path) -> None:
    client = _client(tmp_path, metrics_enabled=True, metrics_token=TOKEN)
    _queue_outcome_mail(client.app.state.site, due_at=utcnow() - timedelta(minutes=3), count=3)
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
    assert 'reclaim_mail_messages{state="waiting"} 3.0' in text
    assert 'reclaim_mail_messages{state="due"} 3.0' in text
    assert 'reclaim_mail_messages{state="failed"} 0.0' in text
    oldest = next(
        line for line in text.splitlines() if line.startswith("reclaim_mail_oldest_due_seconds ")
    )
    assert 170 < float(oldest.split()[1]) < 600


def test_metrics_add_up_every_worker_in_multiprocess_mode(tmp_path) -> None:
    """Several uvicorn workers write their counts into PROMETHEUS_MULTIPROC_DIR; whichever
    answers the scrape reads them all. Two processes stand for two workers here (the variable
    must be set before prometheus_client is imported, as in a worker)."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    script = (
        "import sys\n"
        "from app.ops.metrics import Metrics\n"
        "m = Metrics()\n"
        "m.observe('GET', '/', 200, float(sys.argv[1]))\n"
        "print(m.exposition()[0].decode())\n"
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    for seconds in ("0.01", "0.02"):
        done = subprocess.run(
            [sys.executable, "-c", script, seconds],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
            timeout=60,
        )
    assert 'reclaim_http_requests_total{method="GET",route="/",status="200"} 2.0' in done.stdout
    assert 'reclaim_http_request_duration_seconds_count{method="GET",route="/"} 2.0' in done.stdout


def test_the_expected_migration_heads_are_alembics_own() -> None:
    """/readyz reads the heads from the migration files as text (Alembic stays unloaded in the
    web workers); it must find exactly what Alembic finds, joins of branches included."""
    from alembic.script import ScriptDirectory

    from app.migrate import alembic_config
    from app.ops.readiness import migration_heads

    assert migration_heads() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_a_web_worker_does_not_load_alembic(tmp_path) -> None:
    probe = "import sys, app.asgi; print('alembic' in sys.modules)"
    env = {"RECLAIM_DATABASE_URL": f"sqlite:///{tmp_path / 'probe.db'}", "PATH": "/usr/bin"}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False"
