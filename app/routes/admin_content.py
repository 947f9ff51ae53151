"""The admin area: the standing pages (versioned Markdown) and the site's details."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from app.admin import details, pages
from app.deps import AdminUser, SessionDep, require_admin
from app.web.forms import FormValues
from app.web.params import VersionNumber
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import FormInvalid

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("/pages", name="admin_pages", response_class=HTMLResponse)
def page_list(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "admin/pages.html", {"rows": pages.overview(session)})


@router.get("/pages/{slug}", name="admin_page", response_class=HTMLResponse)
def page_form(request: Request, slug: str, session: SessionDep) -> HTMLResponse:
    current = pages.current_page(session, slug)
    values = {"title": current.title, "body": current.body, "based_on": str(current.version)}
    return render(
        request,
        "admin/page.html",
        {
            "kind": pages.kind_of(slug),
            "history": pages.history(session, slug),
            "errors": {},
            "values": values,
        },
    )


@router.post("/pages/{slug}", name="admin_save_page")
def save_page(
    request: Request, slug: str, session: SessionDep, admin: AdminUser, values: FormValues
) -> Response:
    try:
        saved = pages.save_page(session, slug=slug, values=values, admin=admin, now=utcnow())
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "admin/page.html",
            lambda: {"kind": pages.kind_of(slug), "history": pages.history(session, slug)},
            values=values,
        )
    return see_other(
        request,
        url_for(request, "admin_pages"),
        message=f"“{saved.title}” saved as version {saved.version}.",
    )


@router.get(
    "/pages/{slug}/versions/{version}", name="admin_page_version", response_class=HTMLResponse
)
def page_version(
    request: Request, slug: str, version: VersionNumber, session: SessionDep
) -> HTMLResponse:
    shown = pages.page_version(session, slug, version)
    return render(request, "admin/page_version.html", {"kind": pages.kind_of(slug), "page": shown})


@router.get("/site", name="admin_site", response_class=HTMLResponse)
def site_form(request: Request, session: SessionDep) -> HTMLResponse:
    current = details.site_details(session)
    return render(
        request, "admin/site.html", {"errors": {}, "values": details.form_values(current)}
    )


@router.post("/site", name="admin_save_site")
def save_site(
    request: Request, session: SessionDep, admin: AdminUser, values: FormValues
) -> Response:
    try:
        details.save_details(session, values=values, admin=admin, now=utcnow())
    except FormInvalid as error:
        return form_invalid(request, session, error, "admin/site.html", {}, values=values)
    return see_other(request, url_for(request, "admin_home"), message=i18n._("Site details saved."))
