"""The admin area: roles (grant and remove, with the reason kept in the audit log)."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.responses import Response

from app.admin import roles
from app.deps import AdminUser, SessionDep, require_admin
from app.web.forms import FormValues
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel.clock import utcnow
from kernel.errors import FormInvalid

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


def _context(request: Request, session: Session, page: int = 1) -> dict[str, Any]:
    rule = request.app.state.settings.disclosure_two_person_rule
    return {
        "view": roles.roles_page(session, two_person_rule=rule, page=page),
        "grantable": roles.GRANTABLE,
    }


def _refused(
    request: Request,
    session: Session,
    error: FormInvalid,
    values: dict[str, str | None],
    *,
    failed_removal: int | None = None,
) -> Response:
    """The roles page again, the errors beside the grant form or the row whose removal failed."""
    return form_invalid(
        request,
        session,
        error,
        "admin/roles.html",
        lambda: {**_context(request, session), "failed_removal": failed_removal},
        values=values,
    )


@router.get("/roles", name="admin_roles", response_class=HTMLResponse)
def roles_list(request: Request, session: SessionDep, page: int = 1) -> HTMLResponse:
    return render(
        request,
        "admin/roles.html",
        {**_context(request, session, page), "errors": {}, "values": {}},
    )


@router.post("/roles", name="admin_grant_role")
def grant_role(
    request: Request, session: SessionDep, admin: AdminUser, values: FormValues
) -> Response:
    try:
        user = roles.grant_role(session, values=values, admin=admin, now=utcnow())
    except FormInvalid as error:
        return _refused(request, session, error, values)
    return see_other(
        request,
        url_for(request, "admin_roles"),
        message=f"{user.pseudonym} is now {values.get('role')}: the change is in the audit log.",
    )


@router.post("/roles/{user_id}/remove", name="admin_remove_role")
def remove_role(
    request: Request, user_id: int, session: SessionDep, admin: AdminUser, values: FormValues
) -> Response:
    try:
        user = roles.remove_role(session, user_id=user_id, values=values, admin=admin, now=utcnow())
    except FormInvalid as error:
        return _refused(request, session, error, values, failed_removal=user_id)
    return see_other(
        request,
        url_for(request, "admin_roles"),
        message=f"{user.pseudonym} is no longer {values.get('role')}: the change is in the "
        "audit log.",
    )
