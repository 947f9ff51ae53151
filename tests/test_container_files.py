"""The Dockerfile and compose.yaml describe a runnable service: they parse, every RECLAIM_
variable they set is a real setting, every `reclaim` command they run exists, and the image
runs as a non-root user with a health check and WeasyPrint's libraries.

(No container can be built here: there is no Docker daemon. What can be checked is checked.)
"""

from __future__ import annotations

import json
import re
import shlex

import click
import pytest
import typer.main
import yaml
from dockerfile_parse import DockerfileParser

from app.cli import cli
from app.settings import Settings
from tests.factories import ROOT

SETTINGS = {f"RECLAIM_{name.upper()}" for name in Settings.model_fields}
# Commands another issue adds: compose.yaml already runs them (the outbox brings `worker`).
COMING = {"worker"}


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found = set()
    for name, command in group.commands.items():
        found.add((*prefix, name))
        if isinstance(command, click.Group):
            found |= _commands(command, (*prefix, name))
    return found


CLI_COMMANDS = _commands(typer.main.get_command(cli))


def _reclaim_command(argv: list[str]) -> tuple[str, ...] | None:
    if not argv or argv[0] != "reclaim":
        return None
    words = [word for word in argv[1:] if not word.startswith("-")]
    for length in (2, 1):
        if tuple(words[:length]) in CLI_COMMANDS:
            return tuple(words[:length])
    return tuple(words[:1])


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> DockerfileParser:
    return DockerfileParser(fileobj=open(ROOT / "Dockerfile", "rb"))


def test_compose_has_the_production_shape(compose) -> None:
    services = compose["services"]
    assert set(services) >= {"postgres", "migrate", "web", "worker", "mailpit"}
    assert services["postgres"]["image"].startswith("postgres:15")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert "postgres-data" in compose["volumes"]
    assert services["migrate"]["command"] == ["reclaim", "migrate"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker"):
        assert (
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )
    web = services["web"]["command"]
    assert int(web[web.index("--workers") + 1]) > 1
    assert services["web"]["environment"]["PROMETHEUS_MULTIPROC_DIR"]
    assert services["worker"]["command"] == ["reclaim", "worker"]


def test_every_reclaim_variable_in_compose_is_a_setting(compose) -> None:
    used = set()
    for service in compose["services"].values():
        used |= {name for name in service.get("environment", {}) if name.startswith("RECLAIM_")}
    text = (ROOT / "compose.yaml").read_text()
    used |= set(re.findall(r"RECLAIM_[A-Z_]+", text))
    assert used, "compose.yaml sets no RECLAIM_ variable"
    assert used - SETTINGS == set()


def test_the_web_service_gets_every_production_secret(compose) -> None:
    env = compose["services"]["web"]["environment"]
    assert env["RECLAIM_ENVIRONMENT"] == "production"
    for secret in ("RECLAIM_SECRET_KEY", "RECLAIM_VAULT_KEYS", "RECLAIM_BLIND_INDEX_KEY"):
        assert env[secret].startswith("${") and ":?" in env[secret]  # required, never a default


def test_every_command_compose_and_the_image_run_exists_in_the_cli(compose, dockerfile) -> None:
    commands = [
        service["command"] for service in compose["services"].values() if "command" in service
    ]
    commands.append(json.loads(dockerfile.cmd))
    commands.append(shlex.split(compose_comment_command()))
    run = {_reclaim_command(argv) for argv in commands} - {None}
    assert ("serve",) in run and ("migrate",) in run
    missing = {command for command in run if command not in CLI_COMMANDS}
    assert missing <= {(name,) for name in COMING}, missing


def compose_comment_command() -> str:
    """The first-admin command compose.yaml's own instructions give."""
    text = (ROOT / "compose.yaml").read_text()
    line = next(line for line in text.splitlines() if "create-user" in line)
    return line.split("migrate", 1)[1].strip()


def test_the_image_is_slim_python_311_runs_as_a_user_and_checks_its_health(dockerfile) -> None:
    assert dockerfile.baseimage == "python:3.11-slim"
    instructions = [(i["instruction"], i["value"]) for i in dockerfile.structure]
    froms = [value for kind, value in instructions if kind == "FROM"]
    assert all(value.startswith("python:3.11-slim") for value in froms)
    users = [value for kind, value in instructions if kind == "USER"]
    assert users and users[-1] not in ("root", "0")
    kinds = [kind for kind, _ in instructions]
    assert kinds.index("CMD") > len(kinds) - 1 - kinds[::-1].index("USER")
    health = next(value for kind, value in instructions if kind == "HEALTHCHECK")
    assert "/healthz" in health and "--interval" in health
    installed = " ".join(value for kind, value in instructions if kind == "RUN")
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in installed
    env = dockerfile.envs
    assert {name for name in env if name.startswith("RECLAIM_")} <= SETTINGS
    assert env["RECLAIM_ENVIRONMENT"] == "production"


def test_the_image_leaves_out_what_it_must_not_hold() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "var"} <= set(ignored)
