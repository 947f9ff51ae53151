"""Development-only pages (not mounted outside development)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.deps import OptionalUser
from app.mail import DevOutbox
from app.web.templating import render

router = APIRouter(tags=["dev"])


@router.get("/dev/outbox", name="dev_outbox", response_class=HTMLResponse)
def outbox(request: Request, viewer: OptionalUser) -> HTMLResponse:
    mailer = request.app.state.mailer
    messages = list(mailer.messages) if isinstance(mailer, DevOutbox) else []
    return render(
        request,
        "dev/outbox.html",
        {"messages": messages, "is_outbox": isinstance(mailer, DevOutbox)},
    )
