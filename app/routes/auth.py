from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from app.accounts import sessions, signin
from app.deps import SESSION_COOKIE, OptionalUser, SessionDep
from app.web.client import client_address
from app.web.cookies import clear_session, set_session
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import FormInvalid

router = APIRouter(tags=["auth"])
Text = Annotated[str | None, Form()]
NextQuery = Annotated[str | None, Query(alias="next")]  # where to go after signing in


@router.get("/auth/sign-in", name="sign_in", response_class=HTMLResponse)
def sign_in_form(
    request: Request, viewer: OptionalUser, next_path: NextQuery = None
) -> HTMLResponse:
    settings = request.app.state.settings
    provider = settings.oidc_provider_name if request.app.state.oidc else None
    return render(
        request,
        "auth/sign_in.html",
        {
            "values": {"next": signin.safe_next_path(next_path)},
            "errors": {},
            "oidc_provider": provider,
        },
    )


@router.post("/auth/sign-in", name="request_link")
def request_link(
    request: Request,
    session: SessionDep,
    viewer: OptionalUser,
    email: Text = None,
    next_path: Annotated[str | None, Form(alias="next")] = None,
) -> Response:
    state = request.app.state
    try:
        signin.request_sign_in_link(
            session,
            email=email or "",
            next_path=next_path,
            client=client_address(request),
            now=utcnow(),
            settings=state.settings,
            limiter=state.limiter,
        )
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "auth/sign_in.html",
            {},
            values={"email": email, "next": signin.safe_next_path(next_path)},
        )
    return see_other(request, url_for(request, "check_email"))


@router.get("/auth/check-email", name="check_email", response_class=HTMLResponse)
def check_email(request: Request, viewer: OptionalUser) -> HTMLResponse:
    return render(request, "auth/check_email.html")


@router.get("/auth/link/{token}", name="link", response_class=HTMLResponse)
def link_page(
    request: Request, token: str, session: SessionDep, viewer: OptionalUser
) -> HTMLResponse:
    page = signin.inspect_link(session, token=token, now=utcnow())
    return render(
        request,
        "auth/link.html",
        {
            "token": token,
            "page": page,
            "values": {"pseudonym": page.suggested_pseudonym},
            "errors": {},
        },
    )


@router.post("/auth/link/{token}", name="complete_link")
def complete_link(
    request: Request, token: str, session: SessionDep, viewer: OptionalUser, pseudonym: Text = None
) -> Response:
    now = utcnow()
    try:
        signed_in = signin.complete_sign_in(session, token=token, pseudonym=pseudonym, now=now)
    except FormInvalid as error:
        page = signin.inspect_link(session, token=token, now=now)
        return form_invalid(
            request,
            session,
            error,
            "auth/link.html",
            {"token": token, "page": page},
            values={"pseudonym": pseudonym},
        )
    sessions.end_session(session, request.cookies.get(SESSION_COOKIE), now=now)
    raw = sessions.start_session(session, user=signed_in.user, now=now)
    welcome = (
        f"Welcome, {signed_in.user.pseudonym}. Your account is ready."
        if signed_in.is_new
        else f"Signed in as {signed_in.user.pseudonym}."
    )
    response = see_other(request, signed_in.next_path, message=welcome)
    set_session(request, response, raw)
    return response


@router.post("/auth/sign-out", name="sign_out")
def sign_out(request: Request, session: SessionDep) -> Response:
    sessions.end_session(session, request.cookies.get(SESSION_COOKIE), now=utcnow())
    response = see_other(request, url_for(request, "home"), message=i18n._("You are signed out."))
    clear_session(response)
    return response
