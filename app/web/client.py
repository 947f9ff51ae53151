"""The client's address, for rate limits (from X-Forwarded-For only when configured).

Behind the one trusted proxy, the address that counts is the last one in X-Forwarded-For: the
proxy appended it. Anything before it was sent by the client and could be made up, which
would let anyone step around a rate limit by sending a new address each time."""

from __future__ import annotations

from fastapi import Request


def client_address(request: Request) -> str:
    if request.app.state.settings.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else "unknown"
