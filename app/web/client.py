"""The client's address, for rate limits (from X-Forwarded-For only when configured)."""

from __future__ import annotations

from fastapi import Request


def client_address(request: Request) -> str:
    if request.app.state.settings.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "unknown"
