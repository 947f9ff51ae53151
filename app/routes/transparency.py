"""The public transparency report: moderation figures and disclosures by reason."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from app.deps import SessionDep
from app.identity import disclosure_views
from app.web.templating import render
from moderation import transparency

router = APIRouter(tags=["transparency"])


@router.get("/transparency", name="transparency", response_class=HTMLResponse)
def transparency_page(request: Request, session: SessionDep) -> HTMLResponse:
    return render(
        request,
        "transparency/transparency.html",
        {
            "figures": transparency.figures(session),
            "disclosure_figures": disclosure_views.transparency_figures(session),
        },
    )


@router.get("/transparency.json", name="transparency_json")
def transparency_json(session: SessionDep) -> JSONResponse:
    return JSONResponse(transparency.figures(session).as_json())
