from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.responses import Response

from app.deps import CustodianUser, SessionDep
from app.identity import disclosure, disclosure_views
from app.identity.models import REASON_LABELS
from app.web.params import Page, RowId
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import FormInvalid

router = APIRouter(tags=["custodian"])
Text = Annotated[str | None, Form()]


def _list_context(session: Session, page: int) -> dict[str, Any]:
    return {
        "listing": disclosure_views.list_disclosures(session, page=page),
        "reasons": REASON_LABELS,
    }


@router.get("/custodian/disclosures", name="disclosures", response_class=HTMLResponse)
def disclosures(
    request: Request, session: SessionDep, user: CustodianUser, page: Page = 1
) -> HTMLResponse:
    settings = request.app.state.settings
    return render(
        request,
        "custodian/disclosures.html",
        {
            **_list_context(session, page),
            "values": {},
            "errors": {},
            "two_person_rule": settings.disclosure_two_person_rule,
        },
    )


@router.post("/custodian/disclosures", name="request_disclosure")
def request_disclosure(
    request: Request,
    session: SessionDep,
    user: CustodianUser,
    pseudonym: Text = None,
    reason_category: Text = None,
    reason: Text = None,
    notice_delay_days: Text = None,
    case: Text = None,
    referral: Text = None,
) -> Response:
    settings = request.app.state.settings
    try:
        created = disclosure.request_disclosure(
            session,
            requester=user,
            pseudonym=pseudonym,
            reason_category=reason_category,
            reason=reason,
            notice_delay_days=notice_delay_days,
            case=case,
            referral=referral,
            now=utcnow(),
            two_person_rule=settings.disclosure_two_person_rule,
            view_minutes=settings.disclosure_view_minutes,
        )
    except FormInvalid as error:
        values = {
            "pseudonym": pseudonym,
            "reason_category": reason_category,
            "reason": reason,
            "notice_delay_days": notice_delay_days,
            "case": case,
            "referral": referral,
        }
        return form_invalid(
            request,
            session,
            error,
            "custodian/disclosures.html",
            {**_list_context(session, 1), "two_person_rule": settings.disclosure_two_person_rule},
            values=values,
        )
    return see_other(
        request,
        url_for(request, "disclosure", disclosure_id=created.id),
        message=i18n._("Your request is recorded."),
    )


@router.get(
    "/custodian/disclosures/{disclosure_id}", name="disclosure", response_class=HTMLResponse
)
def disclosure_page(
    request: Request, disclosure_id: RowId, session: SessionDep, user: CustodianUser
) -> HTMLResponse:
    row = disclosure_views.get_disclosure(session, disclosure_id)
    return render(
        request,
        "custodian/disclosure.html",
        {"d": row, "revealed": None, "errors": {}, "values": {}, "now": utcnow()},
    )


@router.post("/custodian/disclosures/{disclosure_id}/decision", name="decide_disclosure")
def decide_disclosure(
    request: Request,
    disclosure_id: RowId,
    session: SessionDep,
    user: CustodianUser,
    decision: Text = None,
    note: Text = None,
) -> Response:
    try:
        disclosure.decide(
            session,
            disclosure_id=disclosure_id,
            decider=user,
            decision=decision,
            note=note,
            now=utcnow(),
            view_minutes=request.app.state.settings.disclosure_view_minutes,
        )
    except FormInvalid as error:
        row = disclosure_views.get_disclosure(session, disclosure_id)
        return form_invalid(
            request,
            session,
            error,
            "custodian/disclosure.html",
            {"d": row, "revealed": None, "now": utcnow()},
            values={"note": note, "decision": decision},
        )
    return see_other(
        request,
        url_for(request, "disclosure", disclosure_id=disclosure_id),
        message=i18n._("Your decision is recorded."),
    )


@router.post(
    "/custodian/disclosures/{disclosure_id}/reveal",
    name="reveal_disclosure",
    response_class=HTMLResponse,
)
def reveal_disclosure(
    request: Request, disclosure_id: RowId, session: SessionDep, user: CustodianUser
) -> HTMLResponse:
    revealed = disclosure.reveal(session, disclosure_id=disclosure_id, viewer=user, now=utcnow())
    row = disclosure_views.get_disclosure(session, disclosure_id)
    return render(
        request,
        "custodian/disclosure.html",
        {"d": row, "revealed": revealed, "errors": {}, "values": {}, "now": utcnow()},
    )
