"""Redirect after a successful POST: 303 for a plain form, HX-Location for an HTMX one."""

from __future__ import annotations

import json

from fastapi import Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.web import flash
from app.web.templating import fragment_block, render
from kernel.errors import FormInvalid


def see_other(
    request: Request,
    url: str,
    *,
    target: str | None = None,
    message: str | None = None,
    push: bool = True,
) -> Response:
    """After a successful POST: a 303, or for an HTMX request an ``HX-Location`` that fetches
    ``url`` into ``target`` (its block replaces the element, whose id it carries)."""
    if target and fragment_block(request):
        location = {"path": url, "target": target, "swap": "outerHTML"}
        if not push:
            location["push"] = False
        response: Response = Response(
            status_code=204, headers={"HX-Location": json.dumps(location)}
        )
    else:
        response = RedirectResponse(url, status_code=303)
    if message:
        flash.add(request, response, message)
    return response


def form_invalid(
    request: Request,
    session: Session,
    error: FormInvalid,
    template: str,
    context: dict,
    *,
    values: dict,
    block: str | None = None,
) -> Response:
    """Re-render a form with 422: nothing kept from the failed write, the input kept."""
    session.rollback()
    return render(
        request,
        template,
        {**context, "errors": error.errors, "values": values},
        status_code=422,
        block=block,
    )
