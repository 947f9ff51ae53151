from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from app.accounts import sessions, signin
from app.deps import SESSION_COOKIE, OptionalUser, SessionDep
from app.identity import oidc
from app.identity import verification as identity
from app.web.client import client_address
from app.web.cookies import set_session
from app.web.responses import see_other
from kernel import i18n
from kernel.clock import utcnow

router = APIRouter(tags=["oidc"])
LIMIT_MESSAGE = "There have been too many identity-verification attempts from here."


async def _config(request: Request) -> oidc.OidcConfig:
    """The site's provider (404 when none is configured)."""
    return oidc.config_or_404(request.app.state.oidc)


def _limited(name: str) -> Callable[[Request, oidc.OidcConfig], None]:
    """Count a start or a callback against the client's limit (in a transaction of its own)."""

    def count(request: Request, config: Annotated[oidc.OidcConfig, Depends(_config)]) -> None:
        request.app.state.limiter.hit(
            name,
            request.app.state.settings.rate_limit_oidc,
            client_address(request),
            message=LIMIT_MESSAGE,
        )

    return count


OidcConfigDep = Annotated[oidc.OidcConfig, Depends(_config)]


@router.get("/auth/oidc/start", name="oidc_start", dependencies=[Depends(_limited("oidc-start"))])
def oidc_start(
    request: Request,
    config: OidcConfigDep,
    session: SessionDep,
    viewer: OptionalUser,
    next_path: Annotated[str | None, Query(alias="next")] = None,
    link: bool = False,
) -> Response:
    settings = request.app.state.settings
    started = oidc.start_login(
        session,
        config=config,
        next_path=signin.safe_next_path(next_path),
        link_user_id=viewer.id if link and viewer else None,
        now=utcnow(),
    )
    response = RedirectResponse(started.url, status_code=303)
    response.set_cookie(
        oidc.STATE_COOKIE,
        started.state,
        max_age=600,
        httponly=True,
        samesite="lax",
        secure=settings.environment == "production",
        path="/auth/oidc",
    )
    return response


@router.get(
    "/auth/oidc/callback",
    name="oidc_callback",
    dependencies=[Depends(_limited("oidc-callback"))],
)
def oidc_callback(
    request: Request,
    config: OidcConfigDep,
    session: SessionDep,
    viewer: OptionalUser,
    state: str | None = None,
    code: str | None = None,
    error: str | None = None,
) -> Response:
    now = utcnow()
    finished = oidc.finish_login(
        session,
        config=config,
        state=state,
        code=code,
        error=error,
        cookie_state=request.cookies.get(oidc.STATE_COOKIE),
        now=now,
    )
    signed_in = identity.complete_verification(session, finished=finished, viewer=viewer, now=now)
    message = (
        i18n._(
            "Welcome, {pseudonym}. Your identity is verified; this is your public pseudonym.",
            pseudonym=signed_in.user.pseudonym,
        )
        if signed_in.is_new
        else i18n._("Your identity is verified.")
    )
    response = see_other(request, signed_in.next_path, message=message)
    if viewer is None or viewer.id != signed_in.user.id:
        sessions.end_session(session, request.cookies.get(SESSION_COOKIE), now=now)
        set_session(
            request, response, sessions.start_session(session, user=signed_in.user, now=now)
        )
    response.delete_cookie(oidc.STATE_COOKIE, path="/auth/oidc")
    return response
