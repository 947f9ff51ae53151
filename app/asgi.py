"""The ASGI application for uvicorn or gunicorn: ``app.asgi:app``."""

import gc

from kernel.imports import hide

# FastAPI asks of each field of a route, when the route first serves a request, whether its
# type is a model of Pydantic's old v1 API, and imports that whole API to find out: some
# 1.5 MiB in every worker, for a site that has no such model. A worker runs with the v1 API
# hidden, so the answer is "no" without the import (tests/app/test_startup_imports.py).
hide("pydantic.v1")

from app.main import create_app  # noqa: E402
from app.ops import logs  # noqa: E402
from app.settings import get_settings  # noqa: E402

logs.configure(get_settings())  # each worker process routes its log lines through structlog
app = create_app()

# Everything loaded so far (modules, models, routes) lives as long as the worker: moved out of
# the garbage collector's generations, it is no longer scanned by every full collection during
# requests (bench/question_page.py: some 8 % more pages and posts per second, lower p99).
gc.collect()
gc.freeze()
