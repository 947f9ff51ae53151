"""The e-mails a person chose: turning reply e-mails on and off, one-click unsubscribe (no
sign-in needed: the signed token in the link is the authority), and a copy of a response."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from app.accounts import notifications
from app.deps import ConsultationBySlug, CurrentUser, SessionDep
from app.participation import receipts, views
from app.web.responses import see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow

router = APIRouter(tags=["email"])
Text = Annotated[str | None, Form()]


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key.get_secret_value())


@router.post("/account/email-preferences", name="email_preferences")
def email_preferences(
    request: Request, session: SessionDep, user: CurrentUser, replies: Text = None
) -> Response:
    wanted = replies == "yes"
    assert user.id is not None, "a signed-in account"
    notifications.set_reply_notices(session, account_id=user.id, wanted=wanted)
    message = (
        i18n._("We will e-mail you when someone replies to you.")
        if wanted
        else i18n._("We will no longer e-mail you about replies.")
    )
    return see_other(request, url_for(request, "account") + "#email-preferences", message=message)


@router.get("/unsubscribe/{token}", name="unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(request: Request, token: str) -> HTMLResponse:
    notifications.read_unsubscribe_token(_secret(request), token)
    return render(request, "account/unsubscribe.html", {"token": token, "done": False})


@router.post("/unsubscribe/{token}", name="unsubscribe_now", response_class=HTMLResponse)
def unsubscribe_now(request: Request, token: str, session: SessionDep) -> HTMLResponse:
    """Also what a mail client's one-click unsubscribe posts (RFC 8058): answered 200."""
    account_id, _topic = notifications.read_unsubscribe_token(_secret(request), token)
    notifications.set_reply_notices(session, account_id=account_id, wanted=False)
    return render(request, "account/unsubscribe.html", {"token": token, "done": True})


@router.post("/consultations/{slug}/response/email", name="email_response")
def email_response(
    request: Request, consultation: ConsultationBySlug, session: SessionDep, user: CurrentUser
) -> Response:
    assert user.id is not None, "a signed-in account"
    response = views.find_response(session, consultation=consultation, user=user)
    queued = receipts.email_receipt(session, response=response, account_id=user.id, now=utcnow())
    message = (
        i18n._("A copy of your response is on its way to your e-mail address.")
        if queued
        else i18n._(
            "A copy of your response as it is now has already been sent to your e-mail address."
        )
    )
    return see_other(
        request, url_for(request, "own_response", slug=consultation.slug), message=message
    )
