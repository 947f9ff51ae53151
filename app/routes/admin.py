"""The admin area: its first page and the themes (create, rename, describe, reorder, retire).

Every route here depends on the admin role, checked before anything is read; every change is
audited by the domain function it calls (``app.admin``)."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.responses import Response

from app.accounts.models import User
from app.admin import dashboard, themes
from app.deps import AdminUser, SessionDep, require_admin
from app.web.forms import FormValues
from app.web.params import RowId
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import FormInvalid

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("", name="admin_home", response_class=HTMLResponse)
def admin_home(request: Request, session: SessionDep) -> HTMLResponse:
    rule = request.app.state.settings.disclosure_two_person_rule
    view = dashboard.dashboard(session, two_person_rule=rule)
    return render(request, "admin/index.html", {"view": view})


def _themes_context(session: Session) -> dict[str, Any]:
    return {"rows": themes.theme_rows(session)}


@router.get("/themes", name="admin_themes", response_class=HTMLResponse)
def theme_list(request: Request, session: SessionDep) -> HTMLResponse:
    return render(
        request, "admin/themes.html", {**_themes_context(session), "errors": {}, "values": {}}
    )


@router.post("/themes", name="admin_create_theme")
def create_theme(
    request: Request, session: SessionDep, admin: AdminUser, values: FormValues
) -> Response:
    try:
        theme = themes.create_theme(session, values=values, admin=admin, now=utcnow())
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "admin/themes.html",
            lambda: _themes_context(session),
            values=values,
        )
    return see_other(
        request,
        url_for(request, "admin_themes"),
        message=i18n._("Theme “{name}” created.", name=theme.name),
    )


@router.get("/themes/{theme_id}", name="admin_theme", response_class=HTMLResponse)
def theme_page(request: Request, theme_id: RowId, session: SessionDep) -> HTMLResponse:
    theme = themes.get_theme(session, theme_id)
    values = {"name": theme.name, "description": theme.description}
    return render(request, "admin/theme.html", {"theme": theme, "errors": {}, "values": values})


@router.post("/themes/{theme_id}", name="admin_update_theme")
def update_theme(
    request: Request, theme_id: RowId, session: SessionDep, admin: AdminUser, values: FormValues
) -> Response:
    try:
        theme = themes.update_theme(
            session, theme_id=theme_id, values=values, admin=admin, now=utcnow()
        )
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "admin/theme.html",
            lambda: {"theme": themes.get_theme(session, theme_id)},
            values=values,
        )
    return see_other(
        request,
        url_for(request, "admin_themes"),
        message=i18n._("Theme “{name}” saved.", name=theme.name),
    )


@router.post("/themes/{theme_id}/move", name="admin_move_theme")
def move_theme(
    request: Request, theme_id: RowId, session: SessionDep, admin: AdminUser, values: FormValues
) -> Response:
    theme = themes.move_theme(
        session,
        theme_id=theme_id,
        direction=values.get("direction") or "",
        admin=admin,
        now=utcnow(),
    )
    return see_other(
        request,
        url_for(request, "admin_themes") + f"#theme-{theme.id}",
        message=i18n._("Theme “{name}” moved {get}.", name=theme.name, get=values.get("direction")),
    )


@router.post("/themes/{theme_id}/retire", name="admin_retire_theme")
def retire_theme(
    request: Request, theme_id: RowId, session: SessionDep, admin: AdminUser, values: FormValues
) -> Response:
    return _set_retired(request, session, admin, theme_id, values, retired=True)


@router.post("/themes/{theme_id}/restore", name="admin_restore_theme")
def restore_theme(
    request: Request, theme_id: RowId, session: SessionDep, admin: AdminUser, values: FormValues
) -> Response:
    return _set_retired(request, session, admin, theme_id, values, retired=False)


def _set_retired(
    request: Request,
    session: Session,
    admin: User,
    theme_id: RowId,
    values: dict[str, str | None],
    *,
    retired: bool,
) -> Response:
    theme = themes.set_retired(
        session,
        theme_id=theme_id,
        retired=retired,
        reason=(values.get("reason") or "").strip()[:300],
        admin=admin,
        now=utcnow(),
    )
    done = (
        "retired: it takes no new consultations, and keeps those it has"
        if retired
        else "back in use"
    )
    return see_other(
        request,
        url_for(request, "admin_themes"),
        message=i18n._("Theme “{name}” is {done}.", name=theme.name, done=done),
    )
