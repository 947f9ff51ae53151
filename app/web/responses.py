"""Redirect after a successful POST: 303 for a plain form, HX-Location for an HTMX one."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

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
        location: dict[str, str | bool] = {"path": url, "target": target, "swap": "outerHTML"}
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


Context = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


def form_invalid(
    request: Request,
    session: Session,
    error: FormInvalid,
    template: str,
    context: Context,
    *,
    values: Mapping[str, Any],
    block: str | None = None,
) -> Response:
    """The one way a handler answers a refused form: 422, nothing kept of the refused write
    (its transaction is rolled back), the page re-rendered with each error beside its field and
    the person's input kept. ``context`` may be a function, called after the rollback, for a
    page that reads the database to render."""
    session.rollback()
    page = context() if callable(context) else context
    return render(
        request,
        template,
        {**page, "errors": error.errors, "values": values},
        status_code=422,
        block=block,
    )
