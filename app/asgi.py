"""The ASGI application for uvicorn or gunicorn: ``app.asgi:app``."""

import gc

from app.main import create_app
from app.ops import logs
from app.settings import get_settings

logs.configure(get_settings())  # each worker process routes its log lines through structlog
app = create_app()

# Everything loaded so far (modules, models, routes) lives as long as the worker: moved out of
# the garbage collector's generations, it is no longer scanned by every full collection during
# requests (bench/question_page.py: some 8 % more pages and posts per second, lower p99).
gc.collect()
gc.freeze()
