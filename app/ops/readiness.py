"""What ``/readyz`` checks: a list of named checks, each answering None (fine) or what is wrong.

The standard checks: the database answers, its schema is at the Alembic head (every head of
the migrations shipped with this code), and the vault's keys load. ``Readiness.add`` is how
another part of the site adds one. The outbox's check fails when due mail has waited longer
than ``STALE_MAIL`` (no worker is delivering), and its counts are shown as figures. A check's
answer names the problem for an operator; it never includes a secret or a connection string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.identity.vault.keyring import Keyring, KeyringError, decode_key
from app.outbox.views import MailCounts, mail_counts
from app.wiring import Site
from kernel.clock import utcnow

Check = Callable[[], str | None]
Figures = Callable[[], dict[str, int]]
STALE_MAIL = timedelta(minutes=15)  # due mail older than this: no worker is delivering
VERSIONS = "SELECT version_num FROM alembic_version"  # Alembic's own table of applied heads


@dataclass
class Readiness:
    checks: list[tuple[str, Check]] = field(default_factory=list)
    figures: list[tuple[str, Figures]] = field(default_factory=list)

    def add(self, name: str, check: Check) -> None:
        self.checks.append((name, check))

    def add_figures(self, name: str, figures: Figures) -> None:
        """Figures shown beside the checks (they never make the site unready)."""
        self.figures.append((name, figures))

    def read_figures(self) -> dict[str, dict[str, int]]:
        answers: dict[str, dict[str, int]] = {}
        for name, figures in self.figures:
            try:
                answers[name] = figures()
            except SQLAlchemyError:
                answers[name] = {}
        return answers

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


MIGRATION_FILES = Path(__file__).resolve().parent.parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision(?:: str)? = ['\"](\w+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"](\w+)['\"]")


def migration_heads() -> set[str]:
    """The revisions that no other revision follows, read from the migration files as text:
    loading Alembic's script directory for it would cost each web worker some 10 MiB for as
    long as it runs (a test checks that this agrees with Alembic)."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in MIGRATION_FILES.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        if revision is None:
            continue
        revisions.add(revision.group(1))
        for down in _DOWN_REVISION.findall(source):
            followed.update(_QUOTED.findall(down))
    return revisions - followed


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

    def mail_counts_now() -> MailCounts:
        with site.session() as session:
            return mail_counts(session, now=utcnow())

    def mail() -> str | None:
        try:
            oldest = mail_counts_now().oldest_due_at
        except SQLAlchemyError:
            return None  # the database and schema checks say what is wrong

        if oldest is not None and utcnow() - oldest > STALE_MAIL:
            minutes = int((utcnow() - oldest).total_seconds() // 60)
            return (
                f"mail has been waiting to be sent for {minutes} minutes: is a worker running "
                "(`reclaim worker`)?"
            )
        return None

    def mail_figures() -> dict[str, int]:
        counts = mail_counts_now()
        return {"waiting": counts.waiting, "due": counts.due, "failed": counts.failed}

    readiness = Readiness(
        [("database", database), ("schema", schema), ("vault_keys", vault_keys), ("mail", mail)]
    )
    readiness.add_figures("mail", mail_figures)
    return readiness
