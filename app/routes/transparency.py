from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app import disclosure
from app.deps import OptionalUser, SessionDep
from app.web.templating import render

router = APIRouter(tags=["transparency"])


@router.get("/transparency", name="transparency", response_class=HTMLResponse)
def transparency(request: Request, session: SessionDep, viewer: OptionalUser) -> HTMLResponse:
    return render(request, "pages/transparency.html",
                  {"disclosure_figures": disclosure.transparency_figures(session)})
