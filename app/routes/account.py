from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlmodel import Session
from starlette.responses import Response

from app.accounts import sessions, views
from app.accounts.models import User
from app.deps import CurrentUser, SessionDep
from app.identity import disclosure_views, personal_data
from app.web.cookies import clear_session
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import FormInvalid
from kernel.plurals import plural

router = APIRouter(tags=["account"])


@router.get("/account", name="account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    overview = views.account_overview(session, user=user)
    return render(
        request,
        "account/account.html",
        _account_context(request, session, user, overview) | {"values": {}, "errors": {}},
    )


def _account_context(
    request: Request, session: Session, user: User, overview: views.AccountOverview
) -> dict[str, Any]:
    provider = request.app.state.settings.oidc_provider_name if request.app.state.oidc else None
    disclosures = disclosure_views.own_disclosures(session, user=user, now=utcnow())
    return {"overview": overview, "oidc_provider": provider, "disclosures": disclosures}


@router.get("/account/data.json", name="download_my_data")
def download_my_data(session: SessionDep, user: CurrentUser) -> JSONResponse:
    data = personal_data.export(session, user=user, now=utcnow())
    filename = f"reclaim-data-{user.pseudonym}.json"
    return JSONResponse(
        data,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/account/delete", name="delete_account")
def delete_account(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    contributions: Annotated[str | None, Form()] = None,
    confirm: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        result = personal_data.delete_account(
            session,
            user=user,
            contributions=contributions,
            confirmed=confirm == "yes",
            now=utcnow(),
        )
    except FormInvalid as error:
        overview = views.account_overview(session, user=user)
        return form_invalid(
            request,
            session,
            error,
            "account/account.html",
            _account_context(request, session, user, overview),
            values={"contributions": contributions},
            block="delete_account",
        )
    message = i18n._("Your account is deleted and your identity erased.")
    if result.held:
        message += " " + plural(
            result.held,
            "{n} of your contributions is kept under legal hold, as evidence for a moderation "
            "case or a police referral.",
            "{n} of your contributions are kept under legal hold, as evidence for a moderation "
            "case or a police referral.",
        )
    response = see_other(request, url_for(request, "home"), message=message)
    clear_session(response)
    return response


@router.post("/account/sign-out-everywhere", name="sign_out_everywhere")
def sign_out_everywhere(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    count = sessions.end_all_sessions(session, user=user, now=utcnow())
    response = see_other(
        request,
        url_for(request, "home"),
        message=plural(
            count,
            "Signed out of {n} session, on every device.",
            "Signed out of {n} sessions, on every device.",
        ),
    )
    clear_session(response)
    return response
