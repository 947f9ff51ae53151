"""Development-only pages (not mounted outside development)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.deps import OptionalUser, SessionDep
from app.outbox import views as outbox
from app.web.templating import render
from kernel.clock import utcnow

router = APIRouter(tags=["dev"])


@router.get("/dev/outbox", name="dev_outbox", response_class=HTMLResponse)
def dev_outbox(request: Request, session: SessionDep, viewer: OptionalUser) -> HTMLResponse:
    messages = outbox.dev_outbox(
        session, renderer=request.app.state.mail_renderer, now=utcnow(), limit=50
    )
    return render(request, "dev/outbox.html", {"messages": messages})
