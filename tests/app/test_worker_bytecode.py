"""The web workers of ``reclaim serve --workers N`` run optimised (``-OO``: no docstrings or
asserts held in memory) from a bytecode cache of their own, which the supervisor fills before
they start, so that no worker compiles the site from its sources (app.ops.bytecode)."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

import app.asgi
import app.main
from app.migrate import upgrade
from app.ops import bytecode
from app.serving import fill_bytecode_cache
from tests.app.test_serving import workers_of
from tests.support.server_process import ServerProcess, production_env


def cached(prefix: Path, module_file: str) -> Path:
    """Where Python keeps a module's ``-OO`` bytecode under the cache folder ``prefix``."""
    previous = sys.pycache_prefix
    sys.pycache_prefix = str(prefix)
    try:
        return Path(importlib.util.cache_from_source(module_file, optimization=2))
    finally:
        sys.pycache_prefix = previous


def test_workers_are_set_to_run_optimised_from_a_cache_of_their_own(tmp_path) -> None:
    environ = {"XDG_CACHE_HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    assert bytecode.prepare_workers(environ) is True  # the cache is worth filling
    assert environ == {
        "XDG_CACHE_HOME": str(tmp_path),
        "PYTHONOPTIMIZE": "2",
        "PYTHONPYCACHEPREFIX": str(tmp_path / "reclaim" / "bytecode"),
        # Compiled files go to that folder only, never beside the sources: they may be written.
    }


def test_the_cache_is_in_the_home_folder_without_xdg_cache_home(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert bytecode.cache_folder({}) == tmp_path / ".cache" / "reclaim" / "bytecode"


def test_an_operators_own_choices_are_kept() -> None:
    environ = {
        "PYTHONOPTIMIZE": "0",
        "PYTHONPYCACHEPREFIX": "/srv/pyc",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    assert bytecode.prepare_workers(environ) is False  # nothing may be written: not filled
    assert environ == {
        "PYTHONOPTIMIZE": "0",
        "PYTHONPYCACHEPREFIX": "/srv/pyc",
        "PYTHONDONTWRITEBYTECODE": "1",  # their folder, their rule
    }


@pytest.fixture
def environ(monkeypatch, tmp_path):
    """The process's environment as ``prepare_workers`` finds it on this machine, restored
    afterwards (each variable is set before it is removed, so that pytest restores it)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    for name in ("PYTHONOPTIMIZE", "PYTHONPYCACHEPREFIX"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return monkeypatch


def test_filling_the_cache_writes_what_a_worker_loads(environ, tmp_path) -> None:
    environ.setenv("RECLAIM_DATABASE_URL", f"sqlite:///{tmp_path / 'fill.db'}")
    bytecode.prepare_workers()  # PYTHONDONTWRITEBYTECODE=1, as on this machine: still written
    prefix = tmp_path / "reclaim" / "bytecode"
    assert fill_bytecode_cache({"ws": "none", "log_config": None}) == 0
    import uvicorn

    for module in (app.asgi, app.main, uvicorn):
        assert module.__file__ is not None
        assert cached(prefix, module.__file__).is_file(), module.__name__
    # The application's own modules and the libraries it loads: hundreds of files.
    assert len(list(prefix.rglob("*.opt-2.pyc"))) > 500


def test_a_failing_application_is_left_to_the_workers_to_report(environ) -> None:
    environ.setenv("RECLAIM_ENVIRONMENT", "production")  # with the development keys
    bytecode.prepare_workers()
    assert fill_bytecode_cache({"ws": "none", "log_config": None}) not in (0, None)


@pytest.fixture
def optimised_server(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'serve.db'}"
    upgrade(database_url)
    env = production_env(database_url, "http://127.0.0.1", XDG_CACHE_HOME=str(tmp_path / "cache"))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    process = ServerProcess(env, tmp_path)
    for name in ("PYTHONOPTIMIZE", "PYTHONPYCACHEPREFIX"):
        process.env.pop(name, None)
    process.start()
    try:
        yield process
    finally:
        process.stop()


def test_workers_run_optimised_and_serve_the_site(optimised_server, tmp_path) -> None:
    workers = workers_of(optimised_server)
    assert len(workers) == 2
    prefix = tmp_path / "cache" / "reclaim" / "bytecode"
    for pid in workers:  # as Python reads them when the worker starts
        environ = set(Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"))
        assert {b"PYTHONOPTIMIZE=2", f"PYTHONPYCACHEPREFIX={prefix}".encode()} <= environ
        assert not any(item.startswith(b"PYTHONDONTWRITEBYTECODE=") for item in environ)
    assert app.asgi.__file__ is not None
    assert cached(prefix, app.asgi.__file__).is_file()
    with httpx.Client(base_url=optimised_server.url, timeout=10) as client:
        for path in ("/", "/consultations", "/auth/sign-in", "/healthz"):
            assert client.get(path).status_code == 200, path
        # A form without its token is refused by the site's own check, not an assert.
        assert client.post("/auth/sign-in", data={"email": "a@example.org"}).status_code == 403


def test_the_site_imports_and_runs_with_docstrings_and_asserts_left_out(tmp_path) -> None:
    """Every module of the site, imported under ``-OO``: nothing in it needs a docstring."""
    code = (
        "import pkgutil, importlib, app, kernel, moderation\n"
        "for package in (app, kernel, moderation):\n"
        "    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        if not info.name.endswith('__main__'):\n"
        "            importlib.import_module(info.name)\n"
        "print('imported')\n"
    )
    done = subprocess.run(
        [sys.executable, "-OO", "-c", code],
        capture_output=True,
        text=True,
        env={"RECLAIM_DATABASE_URL": f"sqlite:///{tmp_path / 'oo.db'}", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("imported")


def test_markdown_and_the_sanitiser_give_the_same_html_with_asserts_left_out(tmp_path) -> None:
    """The sanitiser's parser (html5lib, inside bleach) states its invariants with ``assert``:
    with those left out, as in a worker, hostile and random text is cleaned exactly as with
    them in, so no check of input rested on one."""
    from app.participation.text import render_markdown
    from kernel.text import clean
    from tests.app.participation.test_text_properties import MARKUP

    pieces = [*MARKUP.elements, "<", ">", "&", '"', "'", "=", "\n", "`"]
    pieces += ["<svg/onload=alert(1)>", '<a href="jav&#x09;ascript:x">a</a>', "<math><mi>"]
    pieces += ["<table><td><tr>", "</p></div><p>", '<noscript><p title="</noscript><img>">']
    rng = random.Random(20261201)
    texts = ["".join(rng.choices(pieces, k=rng.randint(1, 12))) for _ in range(400)]
    expected = [render_markdown(clean(text)) for text in texts]
    (tmp_path / "texts.json").write_text(json.dumps(texts))
    code = (
        "import json, sys\n"
        "from app.participation.text import render_markdown\n"
        "from kernel.text import clean\n"
        "texts = json.load(open(sys.argv[1]))\n"
        "print(json.dumps([render_markdown(clean(t)) for t in texts]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-OO", "-c", code, str(tmp_path / "texts.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == expected
