"""Blocking: a participant hides another's posts from themselves and stops their replies."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from app.deps import CurrentUserId, SessionDep
from app.web.responses import see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from moderation import blocks

router = APIRouter(tags=["blocks"])

Text = Annotated[str | None, Form()]


@router.get("/blocks", name="blocks", response_class=HTMLResponse)
def blocks_page(request: Request, session: SessionDep, user_id: CurrentUserId) -> HTMLResponse:
    return render(
        request,
        "blocks/blocks.html",
        {"blocked": blocks.blocked_pseudonyms(session, blocker_id=user_id)},
    )


@router.post("/blocks", name="block")
def block(
    request: Request, session: SessionDep, user_id: CurrentUserId, pseudonym: Text = None
) -> Response:
    blocks.block(session, blocker_id=user_id, pseudonym=(pseudonym or "").strip(), now=utcnow())
    return see_other(
        request,
        url_for(request, "blocks"),
        message=i18n._(
            "Blocked. You will no longer see their posts, and they cannot reply to yours."
        ),
    )


@router.post("/blocks/remove", name="unblock")
def unblock(
    request: Request, session: SessionDep, user_id: CurrentUserId, pseudonym: Text = None
) -> Response:
    blocks.unblock(session, blocker_id=user_id, pseudonym=(pseudonym or "").strip())
    return see_other(request, url_for(request, "blocks"), message="Unblocked.")
