from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from app.admin import details
from app.consultations import catalogue
from app.deps import OptionalUser, SessionDep
from app.web.templating import render
from kernel.clock import utcnow

router = APIRouter(tags=["pages"])
FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"


@router.get("/favicon.ico", name="favicon", include_in_schema=False)
def favicon() -> FileResponse:
    """Browsers ask for it on every site, whatever the page links."""
    return FileResponse(
        FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/", name="home", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, viewer: OptionalUser) -> HTMLResponse:
    page = catalogue.home_page(session, now=utcnow())
    return render(request, "pages/home.html", {"page": page})


@router.get("/themes/{slug}", name="theme", response_class=HTMLResponse)
def theme(request: Request, slug: str, session: SessionDep, viewer: OptionalUser) -> HTMLResponse:
    found = catalogue.get_theme(session, slug)
    listed = catalogue.theme_consultations(session, theme=found)
    return render(
        request, "pages/theme.html", {"theme": found, "consultations": listed, "now": utcnow()}
    )


@router.get("/how-to-report", name="how_to_report", response_class=HTMLResponse)
def how_to_report(request: Request, session: SessionDep, viewer: OptionalUser) -> HTMLResponse:
    found = details.site_details(session)
    return render(request, "pages/how_to_report.html", {"details": found})


@router.get("/staying-safe", name="staying_safe", response_class=HTMLResponse)
def staying_safe(request: Request, viewer: OptionalUser) -> HTMLResponse:
    return render(request, "pages/staying_safe.html")
