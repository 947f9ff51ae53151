"""Error pages. Domain errors carry their status; nothing about a person is ever shown."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import SignInRequired
from app.ops import logs
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.errors import DomainError, RateLimited

log = logs.get_logger("reclaim.errors")

# PostgreSQL's SQLSTATEs for a transaction that lost to a concurrent one.
CONCURRENCY_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def _is_concurrency_failure(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in CONCURRENCY_SQLSTATES


TITLES = i18n.Labels(
    {
        400: i18n.N_("Bad request"),
        403: i18n.N_("Not allowed"),
        404: i18n.N_("Page not found"),
        405: i18n.N_("Not allowed"),
        409: i18n.N_("That could not be done"),
        410: i18n.N_("Gone"),
        422: i18n.N_("Check what you entered"),
        429: i18n.N_("Too many attempts"),
        500: i18n.N_("Something went wrong on our side"),
    }
)


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
        {
            "status": status,
            "title": i18n.gettext(title) if title else TITLES.get(status, i18n._("Error")),
            "message": i18n.gettext(message),
        },
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
            404: i18n._("There is nothing at this address. Check it, or start from the home page."),
            405: i18n._("This address does not accept that kind of request."),
        }.get(exc.status_code, str(exc.detail))
        return error_page(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            # An id or number in the address that is no number, or out of range: no such page
            # (``app.web.params``).
            return error_page(
                request,
                404,
                i18n._("There is nothing at this address. Check it, or start from the home page."),
            )
        return error_page(
            request,
            400,
            i18n._("Part of this request was not in the expected form. Go back and try again."),
        )

    @app.exception_handler(IntegrityError)
    @app.exception_handler(OperationalError)
    async def concurrent_change(request: Request, exc: DBAPIError) -> Response:
        """The last line behind ``kernel.rows``: a unique key taken by another request a
        moment earlier, or (PostgreSQL) a deadlock or serialisation failure between two
        requests. The transaction was rolled back, so nothing was saved."""
        if isinstance(exc, OperationalError) and not _is_concurrency_failure(exc):
            return await unexpected(request, exc)
        # The class and the constraint's name only: the statement's parameters could hold
        # what a person typed.
        log.warning(
            "concurrent change refused on %s %s: %s %s",
            request.method,
            request.url.path,
            type(exc.orig).__name__,
            getattr(getattr(exc.orig, "diag", None), "constraint_name", None) or "",
        )
        return error_page(
            request,
            409,
            i18n._(
                "Someone else changed this at the same moment, so nothing was saved. Reload the "
                "page to see the change, then try again if you still need to."
            ),
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
            i18n._(
                "We could not complete this request. Nothing was "
                "changed. Please try again in a moment."
            ),
            headers={"X-Request-ID": request_id} if request_id else None,
        )
