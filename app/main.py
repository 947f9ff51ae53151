"""create_app(): middleware, routers, static files, error pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import Enum
from pathlib import Path
from typing import Any

import anyio
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from app.identity.oidc import OidcConfig
from app.ops import readiness
from app.outbox.render import MailRenderer
from app.ratelimit.limiter import RateLimiter
from app.settings import Settings, get_settings
from app.web import errors
from app.web.context import RequestContextMiddleware
from app.web.csrf import verify_csrf
from app.web.fragments import FragmentCache
from app.web.middleware import SecurityMiddleware
from app.web.templating import make_environment, make_environments
from app.web.urls import Urls
from app.wiring import Site, build_site

STATIC_DIR = Path(__file__).resolve().parent / "static"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Worker threads run plain ``def`` endpoints, and each needs one of the database slots
    # (app.deps): more threads than slots would only wait, each with its own stack and malloc
    # arena (anyio's default is 40 threads).
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = app.state.settings.pool_size + 2
    worker = None
    if app.state.settings.worker_in_process:  # the embedded default: mail and jobs in here
        from app.outbox.worker import Worker

        worker = app.state.worker = Worker(app.state.site)
        worker.start()
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()


# FastAPI (0.16x) traces each request by itself as soon as the process has an OpenTelemetry
# provider (an instrumented launch, or FASTAPI_OTEL_AUTO_CONFIGURE=true): spans carry the path
# and the query string (a sign-in link's token, the words searched for) and the client's address,
# and go to whatever exporter is set, past the scrubbing of the site's own logs (app/ops/logs.py).
# The site reports through those logs and its Prometheus metrics only. Older FastAPI keeps the
# setting as an unused extra.
NO_FRAMEWORK_TELEMETRY: Any = {  # FastAPI's TelemetryConfig, where it has one
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}


def create_app(settings: Settings | None = None, *, site: Site | None = None) -> FastAPI:
    from app.routes import ROUTERS

    settings = settings or get_settings()
    app = FastAPI(
        title=settings.site_name,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(verify_csrf)],
        lifespan=lifespan,
        telemetry=NO_FRAMEWORK_TELEMETRY,
    )
    site = site or build_site(settings)
    app.state.site = site
    app.state.settings = settings
    app.state.engine = site.engine
    app.state.mail_renderer = MailRenderer(settings)  # the development outbox page's
    app.state.hooks = site.hooks
    app.state.database_slots = anyio.Semaphore(settings.pool_size)  # see app.deps
    app.state.limiter = RateLimiter(site.engine)
    app.state.fragment_cache = FragmentCache(settings.fragment_cache_mib * 2**20)
    app.state.oidc = OidcConfig.from_settings(settings)  # None: no identity verification
    for router in ROUTERS:
        if _serves(router.tags, settings):
            app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.state.urls = Urls(app.router)
    # Documents rendered outside a request use the environment of every language; pages use
    # the one of the language they are answered in (app.web.templating.environment_for).
    app.state.templates = make_environment(urls=app.state.urls, site_time=site.time)
    app.state.template_languages = make_environments(urls=app.state.urls, site_time=site.time)
    errors.install(app)
    app.add_middleware(SecurityMiddleware, secure_cookies=settings.environment == "production")
    # Operating it: readiness checks, metrics, and each request's id, time zone and log line
    # (outermost, so that its log line and metrics see every response).
    app.state.readiness = readiness.standard_checks(site)
    app.state.metrics = None
    if settings.metrics_enabled:  # prometheus-client is imported only then (1.4 MiB a worker)
        from app.ops.metrics import build_metrics

        app.state.metrics = build_metrics(site)
    app.add_middleware(
        RequestContextMiddleware,
        settings=settings,
        site_time=site.time,
        metrics=app.state.metrics,
    )
    return app


def _serves(tags: list[str | Enum], settings: Settings) -> bool:
    """Routers served only in some settings: the development outbox, the benchmark's bare
    route, the metrics."""
    if tags == ["dev"]:
        return settings.is_development
    if tags == ["bench"]:
        return settings.bench_routes
    if tags == ["metrics"]:
        return settings.metrics_enabled
    return True
