"""The organiser's page of one consultation, which the organising and analysis routes return
to: after a write (a redirect to one of its sections), or with one of its forms refused."""

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import Response

from app.analysis import dashboard
from app.consultations.models import Consultation
from app.web.responses import form_invalid, see_other
from app.web.urls import url_for
from kernel.clock import utcnow
from kernel.errors import FormInvalid


def back_to_consultation(
    request: Request, consultation: Consultation, message: str, *, section: str = ""
) -> Response:
    """Back to the consultation's page (at ``#section``, if given), with a message."""
    url = url_for(request, "organise_consultation", slug=consultation.slug)
    return see_other(request, url + (f"#{section}" if section else ""), message=message)


def refused_on_consultation(
    request: Request,
    session: Session,
    consultation: Consultation,
    error: FormInvalid,
    *,
    values: Mapping[str, Any],
    form_id: str,
) -> Response:
    """The consultation's page again, with the form ``form_id`` open beside its errors."""
    return form_invalid(
        request,
        session,
        error,
        "organising/consultation.html",
        lambda: {
            "view": dashboard.organiser_view(session, consultation=consultation, now=utcnow()),
            "failed_form": form_id,
        },
        values=values,
    )
