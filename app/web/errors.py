"""Error pages. Domain errors carry their status; nothing about a person is ever shown."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import SignInRequired
from app.ops import logs
from app.web.templating import render
from app.web.urls import url_for
from kernel.errors import DomainError, RateLimited

log = logs.get_logger("reclaim.errors")

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed",
    409: "That could not be done",
    410: "Gone",
    422: "Check what you entered",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


def error_page(
    request: Request,
    status: int,
    message: str,
    *,
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title or TITLES.get(status, "Error"), "message": message},
        status_code=status,
        headers=headers,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        target = url_for(request, "sign_in", _query={"next": exc.next_path})
        if request.headers.get("hx-request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> Response:
        return error_page(
            request, 429, exc.message, headers={"Retry-After": str(exc.retry_after_seconds)}
        )

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        return error_page(request, exc.status_code, exc.message, title=exc.title)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {
            404: "There is nothing at this address. Check it, or start from the home page.",
            405: "This address does not accept that kind of request.",
        }.get(exc.status_code, str(exc.detail))
        return error_page(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_page(
            request,
            400,
            "Part of this request was not in the expected form. Go back and try again.",
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Starlette answers this outside the other middleware: the request id is set here.
        request_id = getattr(request.state, "request_id", None)
        route = getattr(request.scope.get("route"), "path", None) or "unmatched"
        log.error("unhandled error", method=request.method, route=route, exc_info=exc)
        return error_page(
            request,
            500,
            "We could not complete this request. Nothing was "
            "changed. Please try again in a moment.",
            headers={"X-Request-ID": request_id} if request_id else None,
        )
