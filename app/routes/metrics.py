"""``/metrics`` for Prometheus: only with ``RECLAIM_METRICS_ENABLED``, and only for a scraper
that sends ``Authorization: Bearer <RECLAIM_METRICS_TOKEN>`` (compared in constant time)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from starlette.responses import PlainTextResponse, Response

router = APIRouter(tags=["metrics"])


@router.get("/metrics", name="metrics")
def metrics(request: Request) -> Response:
    settings = request.app.state.settings
    token = settings.metrics_token.get_secret_value().encode() if settings.metrics_token else b""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if not (token and scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token)):
        return PlainTextResponse(
            "A bearer token is needed to read the metrics.\n",
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store"},
        )
    body, content_type = request.app.state.metrics.exposition()
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})
