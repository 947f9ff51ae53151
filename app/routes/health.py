from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", name="healthz", response_class=PlainTextResponse)
def healthz() -> str:
    return "ok"


@router.get("/hello", name="hello", response_class=PlainTextResponse)
def hello() -> str:
    """The benchmark's ceiling: the same app and middleware, no database, no template."""
    return "hello"
