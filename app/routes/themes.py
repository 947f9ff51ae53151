"""Theme pages for organisers: a question's suggested and accepted themes, finding them (a run
is only queued here; the worker performs it) and the analyst's review of each theme."""

from collections.abc import Callable
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
    request: Request, consultation: ConsultationBySlug, number: int, session: SessionDep
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
    number: int,
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


def _reviewed(
    request: Request,
    session: Session,
    consultation: Consultation,
    suggestion_id: int,
    fields: Fields,
    action: Callable[[], str],
) -> Response:
    """Run one review ``action`` on a theme; back to its question's page with its message, or
    that page again with the refused form's errors beside it (422, input kept)."""
    suggestion = review.get_suggestion(
        session, consultation=consultation, suggestion_id=suggestion_id
    )
    question = review.question_of(session, suggestion)
    try:
        message = action()
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "analysis/themes.html",
            lambda: {**_page(session, consultation, question.position), "failed": suggestion_id},
            values=fields.values(),
        )
    return _back(request, consultation, question.position, message)


@router.post("/{slug}/themes/{suggestion_id}/accept", name="accept_theme")
def accept_theme(
    request: Request,
    consultation: ConsultationBySlug,
    suggestion_id: int,
    session: SessionDep,
    fields: Fields,
) -> Response:
    def act() -> str:
        tag = review.accept(
            session,
            consultation=consultation,
            suggestion_id=suggestion_id,
            version=fields.get("version"),
            label=fields.get("label"),
            now=utcnow(),
        )
        return f"Theme “{tag.label}” accepted: its answers carry the tag, each open to review."

    return _reviewed(request, session, consultation, suggestion_id, fields, act)


@router.post("/{slug}/themes/{suggestion_id}/rename", name="rename_theme")
def rename_theme(
    request: Request,
    consultation: ConsultationBySlug,
    suggestion_id: int,
    session: SessionDep,
    fields: Fields,
) -> Response:
    def act() -> str:
        theme = review.rename(
            session,
            consultation=consultation,
            suggestion_id=suggestion_id,
            version=fields.get("version"),
            label=fields.get("label"),
        )
        return f"Theme renamed “{theme.label}”."

    return _reviewed(request, session, consultation, suggestion_id, fields, act)


@router.post("/{slug}/themes/{suggestion_id}/merge", name="merge_theme")
def merge_theme(
    request: Request,
    consultation: ConsultationBySlug,
    suggestion_id: int,
    session: SessionDep,
    fields: Fields,
) -> Response:
    def act() -> str:
        target = review.merge(
            session,
            consultation=consultation,
            suggestion_id=suggestion_id,
            version=fields.get("version"),
            into=fields.get("into"),
        )
        return f"Themes merged into “{target.label}”."

    return _reviewed(request, session, consultation, suggestion_id, fields, act)


@router.post("/{slug}/themes/{suggestion_id}/move", name="move_theme_answers")
def move_theme_answers(
    request: Request,
    consultation: ConsultationBySlug,
    suggestion_id: int,
    session: SessionDep,
    fields: Fields,
) -> Response:
    def act() -> str:
        moved = review.move_answers(
            session,
            consultation=consultation,
            suggestion_id=suggestion_id,
            answer_ids=fields.getlist("answer"),
            to=fields.get("to"),
        )
        return f"{moved:,} answer{'' if moved == 1 else 's'} moved."

    return _reviewed(request, session, consultation, suggestion_id, fields, act)


@router.post("/{slug}/themes/{suggestion_id}/reject", name="reject_theme")
def reject_theme(
    request: Request,
    consultation: ConsultationBySlug,
    suggestion_id: int,
    session: SessionDep,
    fields: Fields,
) -> Response:
    def act() -> str:
        moved = review.reject(
            session,
            consultation=consultation,
            suggestion_id=suggestion_id,
            version=fields.get("version"),
        )
        return f"Theme rejected: its {moved:,} answers are now under “Other”."

    return _reviewed(request, session, consultation, suggestion_id, fields, act)
