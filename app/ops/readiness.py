"""What ``/readyz`` checks: a list of named checks, each answering None (fine) or what is wrong.

The standard checks: the database answers, its schema is at the Alembic head (every head of
the migrations shipped with this code), and the vault's keys load. ``Readiness.add`` is how
another part of the site adds one (the outbox adds how long mail has been waiting). A check's
answer names the problem for an operator; it never includes a secret or a connection string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.identity.vault.keyring import Keyring, KeyringError, decode_key
from app.migrate import alembic_config
from app.wiring import Site

Check = Callable[[], str | None]
VERSIONS = "SELECT version_num FROM alembic_version"  # Alembic's own table of applied heads


@dataclass
class Readiness:
    checks: list[tuple[str, Check]] = field(default_factory=list)

    def add(self, name: str, check: Check) -> None:
        self.checks.append((name, check))

    def run(self) -> dict[str, str]:
        """Every check's answer: "ok", or what is wrong. A check that raises has failed."""
        answers = {}
        for name, check in self.checks:
            try:
                problem = check()
            except Exception as error:  # noqa: BLE001 - a failing check is an answer, not a crash
                problem = f"check failed: {type(error).__name__}"
            answers[name] = problem or "ok"
        return answers


def migration_heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def standard_checks(site: Site) -> Readiness:
    expected = migration_heads()  # read once: the shipped migrations do not change while running
    engine = site.engine

    def database() -> str | None:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            return f"the database does not answer ({type(error).__name__})"
        return None

    def schema() -> str | None:
        try:
            with engine.connect() as connection:
                current = set(connection.execute(text(VERSIONS)).scalars())
        except SQLAlchemyError as error:
            return f"the schema version cannot be read ({type(error).__name__})"
        if current != expected:
            have = ", ".join(sorted(current)) or "none"
            return (
                f"the schema is at {have}, not at {', '.join(sorted(expected))}: "
                "run `reclaim migrate`"
            )
        return None

    def vault_keys() -> str | None:
        settings = site.settings
        try:
            Keyring.parse(settings.vault_keys.get_secret_value(), active=settings.vault_active_key)
            decode_key(settings.blind_index_key.get_secret_value(), name="RECLAIM_BLIND_INDEX_KEY")
        except KeyringError as error:
            return f"the vault keys do not load: {error}"
        return None

    return Readiness([("database", database), ("schema", schema), ("vault_keys", vault_keys)])
