"""`reclaim keys new` and `reclaim keys rotate` on a real database file."""

from typer.testing import CliRunner

from app import db
from app.cli import cli
from app.identity.vault import service as vault
from app.migrate import upgrade
from app.settings import DEV_VAULT_KEYS, get_settings
from tests.factories import make_user


def test_keys_new_then_rotate_moves_every_record_to_the_new_key(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    monkeypatch.setenv("RECLAIM_DATABASE_URL", url)
    monkeypatch.setenv("RECLAIM_VAULT_KEYS", DEV_VAULT_KEYS)
    get_settings.cache_clear()
    runner = CliRunner()
    engine = db.make_engine(url)
    try:
        with db.session_scope(engine) as session:
            ids = [make_user(session).id for _ in range(7)]
        created = runner.invoke(cli, ["keys", "new", "k2"])
        assert created.exit_code == 0, created.output
        spec = created.stdout.strip().splitlines()[0]
        assert spec.startswith("k2:")
        monkeypatch.setenv("RECLAIM_VAULT_KEYS", f"{spec},{DEV_VAULT_KEYS}")
        get_settings.cache_clear()
        rotated = runner.invoke(cli, ["keys", "rotate", "--batch-size", "3"])
        assert rotated.exit_code == 0, rotated.output
        assert "Rotated 7 record(s)" in rotated.output
        again = runner.invoke(cli, ["keys", "rotate"])
        assert "already under the active key" in again.output
        monkeypatch.setenv("RECLAIM_VAULT_KEYS", spec)  # the old key is gone
        get_settings.cache_clear()
        with db.session_scope(engine) as session:
            assert all(vault.email_of(session, i) for i in ids)
        status = runner.invoke(cli, ["keys", "status"])
        assert "k2" in status.output and "dev1" not in status.output
    finally:
        get_settings.cache_clear()
        engine.dispose()
