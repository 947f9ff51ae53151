"""The session cookie, and rotating the CSRF cookie with it at sign-in."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from app.deps import SESSION_COOKIE
from app.web import csrf


def set_session(request: Request, response: Response, raw_token: str) -> None:
    settings = request.app.state.settings
    secure = settings.environment == "production"
    response.set_cookie(
        SESSION_COOKIE,
        raw_token,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
    )
    response.set_cookie(
        csrf.COOKIE, csrf.new_cookie_value(), httponly=True, samesite="lax", secure=secure, path="/"
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
