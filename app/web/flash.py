"""One-time messages shown on the next page (after a redirect), in a signed cookie."""

from __future__ import annotations

from functools import lru_cache

from fastapi import Request
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.responses import Response

COOKIE = "reclaim_flash"
KINDS = ("success", "info", "warning", "error")


def _serializer(request: Request) -> URLSafeSerializer:
    return _serializer_for(request.app.state.settings.secret_key.get_secret_value())


@lru_cache(maxsize=4)
def _serializer_for(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="flash")


def add(request: Request, response: Response, message: str, kind: str = "success") -> None:
    pending = getattr(request.state, "flash_out", None) or []
    pending.append((kind if kind in KINDS else "info", message[:500]))
    request.state.flash_out = pending
    secure = request.app.state.settings.environment == "production"
    response.set_cookie(
        COOKIE,
        _serializer(request).dumps(pending),
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=300,
    )


def take(request: Request) -> list[tuple[str, str]]:
    """Messages waiting for this request (the caller clears the cookie on its response)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        messages = _serializer(request).loads(raw)
    except BadSignature:
        return []
    return [(str(k), str(m)) for k, m in messages][:5]
