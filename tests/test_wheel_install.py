"""`pip install` of the built wheel, outside the checkout, gives a working `reclaim`: it
migrates an empty SQLite database and an empty PostgreSQL one from any folder (the migrations
and their Alembic configuration ship inside the package), and serves pages, standing pages
and static files from the installed package.

The wheel is built offline from a copy of the sources. The fresh virtualenv gets the wheel
alone (``--no-deps``); its dependencies are borrowed from the test environment's site-packages
by a path entry that is not a site folder, so that folder's editable install of this checkout
stays inactive: the test checks that ``app`` is imported from the fresh virtualenv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.migrate import alembic_config
from tests.factories import ROOT
from tests.support import free_port
from tests.support.postgres import fresh_database


@dataclass
class Installed:
    bin: Path
    elsewhere: Path

    def run(
        self, *args: str, env: dict[str, str], timeout: int = 180
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin / "reclaim"), *args],
            cwd=self.elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _clean_env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return {**keep, "RECLAIM_SMTP_HOST": "", **extra}


def _shipped_head() -> str:
    from alembic.script import ScriptDirectory

    (head,) = ScriptDirectory.from_config(alembic_config()).get_heads()
    return head


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("app", "kernel", "moderation"):
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(work / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("reclaim-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    borrowed = sysconfig.get_paths()["purelib"]  # this environment's, for the dependencies
    Path(site, "borrowed-dependencies.pth").write_text(borrowed + "\n")
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return Installed(bin=venv / "bin", elsewhere=elsewhere)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed) -> None:
    found = subprocess.run(
        [
            str(installed.bin / "python"),
            "-c",
            "import app, kernel, moderation; print(app.__file__)",
        ],
        cwd=installed.elsewhere,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert found.startswith(str(installed.bin.parent)) and "site-packages" in found
    assert not found.startswith(str(ROOT))


def test_the_installed_wheel_finds_themes_with_its_own_tokenizer_file(installed) -> None:
    """The sentence model's tokenizer ships inside the package (package data), so the theme
    method works from the wheel, not only from the checkout."""
    code = (
        "from app.analysis.themes import vectors\n"
        "print(vectors.TOKENIZER)\n"
        "print(vectors.sentence_vectors(['The police never call back.']).shape)\n"
    )
    done = subprocess.run(
        [str(installed.bin / "python"), "-c", code],
        cwd=installed.elsewhere,
        env=_clean_env(HF_HUB_OFFLINE="1"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    tokenizer, shape = done.stdout.strip().splitlines()[-2:]
    assert tokenizer.startswith(str(installed.bin.parent)) and shape == "(1, 384)"


def test_the_wheel_migrates_an_empty_sqlite_database_and_serves_pages(installed, tmp_path) -> None:
    database = tmp_path / "fresh.db"
    env = _clean_env(RECLAIM_DATABASE_URL=f"sqlite:///{database}")
    migrated = installed.run("migrate", env=env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "up to date" in migrated.stdout
    with create_engine(f"sqlite:///{database}").connect() as conn:
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == _shipped_head()
        )
    port = free_port()
    server = subprocess.Popen(
        [str(installed.bin / "reclaim"), "serve", "--port", str(port)],
        cwd=installed.elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, (
                server.stderr.read().decode()
            )
            time.sleep(0.2)
        home = httpx.get(f"{base}/")
        assert home.status_code == 200 and "<h1" in home.text
        assert httpx.get(f"{base}/static/css/reclaim.css").status_code == 200
        assert "Site rules" in httpx.get(f"{base}/site-rules").text
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 200, ready.text
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.postgres_only
def test_the_wheel_migrates_an_empty_postgresql_database(installed, postgres_url) -> None:
    url = fresh_database(postgres_url, "reclaim_wheel_test")
    migrated = installed.run("migrate", env=_clean_env(RECLAIM_DATABASE_URL=url))
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    engine = create_engine(url)
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == _shipped_head()
        )
        assert conn.execute(text("SELECT count(*) FROM standing_page_version")).scalar() == 0
    engine.dispose()
