"""Theme pages for organisers: a question's suggested and accepted themes, finding them (a run
is only queued here; the worker performs it) and the analyst's review of each theme."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.responses import Response

from app.analysis.themes import review, runs, views
from app.consultations import catalogue
from app.consultations.models import Consultation
from app.deps import ConsultationBySlug, OrganiserUser, SessionDep, require_organiser
from app.web.forms import Fields
from app.web.params import Position, RowId
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel.clock import utcnow
from kernel.errors import FormInvalid

# The role is checked before anything is looked up, so a draft is never "not found" to a
# visitor who should be asked to sign in.
router = APIRouter(prefix="/organise", tags=["themes"], dependencies=[Depends(require_organiser)])


def _page(session: Session, consultation: Consultation, number: int) -> dict[str, Any]:
    questions = catalogue.questions_of(session, consultation)
    question = catalogue.get_question(session, consultation, number)
    page = views.theme_page(
        session, consultation=consultation, question=question, questions=questions
    )
    return {"page": page}


def _back(request: Request, consultation: Consultation, number: int, message: str) -> Response:
    url = url_for(request, "themes", slug=consultation.slug, number=number)
    return see_other(request, url, message=message)


@router.get("/{slug}/questions/{number}/themes", name="themes", response_class=HTMLResponse)
def themes(
    request: Request, consultation: ConsultationBySlug, number: Position, session: SessionDep
) -> HTMLResponse:
    return render(
        request,
        "analysis/themes.html",
        {**_page(session, consultation, number), "errors": {}, "values": {}},
    )


@router.post("/{slug}/questions/{number}/themes/run", name="run_themes")
def run_themes(
    request: Request,
    consultation: ConsultationBySlug,
    number: Position,
    session: SessionDep,
    user: OrganiserUser,
) -> Response:
    question = catalogue.get_question(session, consultation, number)
    try:
        runs.enqueue_run(
            session, consultation=consultation, question=question, user=user, now=utcnow()
        )
    except runs.RunAlreadyActive as error:
        return _back(request, consultation, number, error.message)
    return _back(
        request,
        consultation,
        number,
        "Finding themes has been queued. This page shows its progress; you can leave it.",
    )


@router.post("/{slug}/themes/{suggestion_id}/{action}", name="review_theme")
def review_theme(
    request: Request,
    consultation: ConsultationBySlug,
    suggestion_id: RowId,
    action: str,
    session: SessionDep,
    fields: Fields,
) -> Response:
    """Accept, rename, merge, move answers or reject: back to the question's page with the
    message, or that page again with the refused form's errors beside it (422, input kept)."""
    suggestion = review.get_suggestion(
        session, consultation=consultation, suggestion_id=suggestion_id
    )
    question = review.question_of(session, suggestion)
    values = fields.values()
    try:
        message = review.apply(
            session,
            consultation=consultation,
            suggestion_id=suggestion_id,
            action=action,
            values=values,
            answer_ids=fields.getlist("answer"),
            now=utcnow(),
        )
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "analysis/themes.html",
            lambda: {**_page(session, consultation, question.position), "failed": suggestion_id},
            values=values,
        )
    return _back(request, consultation, question.position, message)
