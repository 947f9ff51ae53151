from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from app import accounts, disclosure, oidc
from app.deps import CurrentUser, SessionDep
from app.models.base import utcnow
from app.web.cookies import clear_session
from app.web.responses import see_other
from app.web.templating import render
from app.web.urls import url_for

router = APIRouter(tags=["account"])


@router.get("/account", name="account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    overview = accounts.account_overview(session, user=user)
    provider = request.app.state.settings.oidc_provider_name \
        if oidc.OidcConfig.from_settings(request.app.state.settings) else None
    disclosures = disclosure.own_disclosures(session, user=user, now=utcnow())
    return render(request, "account/account.html",
                  {"overview": overview, "oidc_provider": provider, "disclosures": disclosures})


@router.post("/account/sign-out-everywhere", name="sign_out_everywhere")
def sign_out_everywhere(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    count = accounts.end_all_sessions(session, user=user, now=utcnow())
    response = see_other(request, url_for("home"),
                         message=f"Signed out of {count} session(s) on every device.")
    clear_session(response)
    return response
