"""The admins' view of the outbox: what is waiting, what failed and why, and a retry.

Linked from the admin area; its own page at /admin/outbox."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from app.deps import AdminUser, SessionDep
from app.outbox import commands
from app.outbox import views as outbox
from app.web.params import Page, RowId
from app.web.responses import see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from kernel.plurals import plural

router = APIRouter(prefix="/admin/outbox", tags=["admin"])


@router.get("", name="admin_outbox", response_class=HTMLResponse)
def outbox_page(
    request: Request, session: SessionDep, admin: AdminUser, page: Page = 1
) -> HTMLResponse:
    listing = outbox.outbox_page(
        session, now=utcnow(), settings=request.app.state.settings, page=page
    )
    return render(request, "admin/outbox.html", {"listing": listing})


@router.post("/{message_id}/retry", name="admin_outbox_retry")
def retry_message(
    request: Request, message_id: RowId, session: SessionDep, admin: AdminUser
) -> Response:
    commands.retry_message(session, message_id=message_id, now=utcnow())
    return see_other(
        request, url_for(request, "admin_outbox"), message=i18n._("The message will be sent again.")
    )


@router.post("/retry-all", name="admin_outbox_retry_all")
def retry_all(request: Request, session: SessionDep, admin: AdminUser) -> Response:
    count = commands.retry_all_failed(session, now=utcnow())
    return see_other(
        request,
        url_for(request, "admin_outbox"),
        message=plural(
            count,
            "{n} failed message will be sent again.",
            "{n} failed messages will be sent again.",
        ),
    )


@router.post("/jobs/{job_id}/retry", name="admin_job_retry")
def retry_job(request: Request, job_id: RowId, session: SessionDep, admin: AdminUser) -> Response:
    commands.retry_job(session, job_id=job_id, now=utcnow())
    return see_other(
        request, url_for(request, "admin_outbox"), message=i18n._("The job will be run again.")
    )
