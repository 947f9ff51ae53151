"""Is the process alive (``/healthz``), and is it ready to serve (``/readyz``)?

``/healthz`` touches nothing, so a container is not restarted because the database is slow;
``/readyz`` runs the readiness checks (``app.ops.readiness``) and answers 503 naming each check
that failed, for a load balancer to stop sending traffic.
"""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", name="healthz", response_class=PlainTextResponse)
def healthz() -> str:
    return "ok"


@router.get("/readyz", name="readyz", response_class=JSONResponse)
def readyz(request: Request) -> JSONResponse:
    checks = request.app.state.readiness.run()
    failed = sorted(name for name, answer in checks.items() if answer != "ok")
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
    return JSONResponse(
        body, status_code=503 if failed else 200, headers={"Cache-Control": "no-store"}
    )


bench_router = APIRouter(tags=["bench"])


@bench_router.get("/hello", name="hello", response_class=PlainTextResponse)
def hello() -> str:
    """The benchmark's ceiling: the same app and middleware, no database, no template. Served
    only with ``RECLAIM_BENCH_ROUTES`` (the scripts in bench/ set it)."""
    return "hello"
