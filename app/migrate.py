"""Running Alembic from code (the CLI and the tests use the same path).

The migrations and their Alembic configuration ship inside the package (``app/migrations``),
so ``reclaim migrate`` works from any folder, installed from a wheel or from a checkout."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str | None = None, revision: str = "heads") -> None:
    """Upgrade to every head: feature branches of migrations may stand side by side."""
    command.upgrade(alembic_config(database_url), revision)
