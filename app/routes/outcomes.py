"""The public outcome of a closed consultation: the summary of responses and Annex A."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.analysis import outcome, presentation  # noqa: F401 - template globals
from app.deps import SessionDep
from app.web.templating import render
from kernel.clock import utcnow

router = APIRouter(tags=["outcomes"])


@router.get(
    "/consultations/{slug}/outcome", name="consultation_outcome", response_class=HTMLResponse
)
def consultation_outcome(request: Request, slug: str, session: SessionDep) -> HTMLResponse:
    summary = outcome.public_outcome(session, slug=slug, now=utcnow())
    return render(request, "outcomes/outcome.html", {"s": summary})
