"""Reporting a post, following a report, notices and appeals by participants."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from app.deps import CurrentUserId, SessionDep
from app.web.params import Page, RowId
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import FormInvalid
from moderation import appeals, notices, posts, reporting
from moderation.reasons import ReportReason

router = APIRouter(tags=["reports"])

Text = Annotated[str | None, Form()]


def _report_context(session: SessionDep, post_id: int) -> dict[str, Any]:
    return {"post": posts.get_public_post(session, post_id), "reasons": list(ReportReason)}


@router.get("/posts/{post_id}/report", name="report_form", response_class=HTMLResponse)
def report_form(
    request: Request, post_id: RowId, session: SessionDep, user_id: CurrentUserId
) -> HTMLResponse:
    return render(
        request,
        "reports/report_form.html",
        {**_report_context(session, post_id), "errors": {}, "values": {}},
    )


@router.post("/posts/{post_id}/report", name="report_post")
def report_post(
    request: Request,
    post_id: RowId,
    session: SessionDep,
    user_id: CurrentUserId,
    reason: Text = None,
    about_me: Text = None,
    note: Text = None,
) -> Response:
    settings = request.app.state.settings
    request.app.state.limiter.hit(
        "report",
        settings.rate_limit_reporting,
        str(user_id),
        message="You have made a lot of reports in a short time.",
    )
    try:
        report = reporting.report_post(
            session,
            post_id=post_id,
            reporter_id=user_id,
            reason=reason,
            about_me=about_me == "yes",
            note=note,
            now=utcnow(),
        )
    except FormInvalid as problem:
        return form_invalid(
            request,
            session,
            problem,
            "reports/report_form.html",
            lambda: _report_context(session, post_id),
            values={"reason": reason, "about_me": about_me, "note": note},
        )
    return see_other(
        request,
        url_for(request, "report_status", reference=report.reference),
        message=i18n._(
            "Thank you. Your report was received: case reference {reference}.",
            reference=report.reference,
        ),
    )


@router.get("/reports", name="my_reports", response_class=HTMLResponse)
def my_reports(
    request: Request, session: SessionDep, user_id: CurrentUserId, page: Page = 1
) -> HTMLResponse:
    rows, page, pages = reporting.my_reports(session, reporter_id=user_id, page=page)
    return render(request, "reports/list.html", {"rows": rows, "page": page, "pages": pages})


@router.get("/reports/{reference}", name="report_status", response_class=HTMLResponse)
def report_status(
    request: Request, reference: str, session: SessionDep, user_id: CurrentUserId
) -> HTMLResponse:
    status = reporting.report_status(session, reference=reference, viewer_id=user_id, now=utcnow())
    return render(request, "reports/status.html", {"status": status})


@router.get("/notices", name="notices", response_class=HTMLResponse)
def notices_page(
    request: Request, session: SessionDep, user_id: CurrentUserId, page: Page = 1
) -> HTMLResponse:
    now = utcnow()
    result = notices.notices_for(session, recipient_id=user_id, page=page, now=now)
    return render(
        request,
        "reports/notices.html",
        {"result": result, "appealable": appeals.appealable_for(session, user_id=user_id, now=now)},
    )


@router.get("/decisions/{decision_id}/appeal", name="appeal_form", response_class=HTMLResponse)
def appeal_form(
    request: Request, decision_id: RowId, session: SessionDep, user_id: CurrentUserId
) -> HTMLResponse:
    ctx = appeals.appeal_context(session, decision_id=decision_id, user_id=user_id, now=utcnow())
    return render(request, "reports/appeal_form.html", {"ctx": ctx, "errors": {}, "values": {}})


@router.post("/decisions/{decision_id}/appeal", name="lodge_appeal")
def lodge_appeal(
    request: Request,
    decision_id: RowId,
    session: SessionDep,
    user_id: CurrentUserId,
    reason: Text = None,
) -> Response:
    now = utcnow()
    try:
        appeals.lodge_appeal(
            session, decision_id=decision_id, appellant_id=user_id, reason=reason, now=now
        )
    except FormInvalid as problem:
        return form_invalid(
            request,
            session,
            problem,
            "reports/appeal_form.html",
            lambda: {
                "ctx": appeals.appeal_context(
                    session, decision_id=decision_id, user_id=user_id, now=now
                )
            },
            values={"reason": reason},
        )
    return see_other(
        request,
        url_for(request, "notices"),
        message=i18n._("Your appeal was received. A different moderator will review it."),
    )
