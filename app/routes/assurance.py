"""Second coding for organisers: asking for a blind second coding of a sample, the second
coder's page (which never shows the first evaluation), and settling disagreements."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.responses import Response

from app.accounts.models import User
from app.analysis import assurance
from app.consultations import catalogue
from app.consultations.models import Consultation, Question
from app.deps import ConsultationBySlug, OrganiserUser, SessionDep, require_organiser
from app.routes.organiser_page import back_to_consultation, refused_on_consultation
from app.web.forms import Fields, FormFields
from app.web.params import Position, RowId
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import FormInvalid
from kernel.ids import MAX_ID

# The role is checked before anything is looked up, so a draft is never "not found" to a
# visitor who should be asked to sign in.
router = APIRouter(
    prefix="/organise", tags=["assurance"], dependencies=[Depends(require_organiser)]
)


@router.post("/{slug}/second-coding", name="request_second_coding")
def request_second_coding(
    request: Request,
    consultation: ConsultationBySlug,
    session: SessionDep,
    user: OrganiserUser,
    fields: Fields,
) -> Response:
    values = fields.values()
    number = values.get("question") or ""
    try:
        if not (number.isdigit() and len(number) <= 12 and 1 <= int(number) <= MAX_ID):
            raise FormInvalid({"question": i18n._("Choose the question whose coding to check.")})
        question = catalogue.get_question(session, consultation, int(number))
        sample = assurance.request_second_coding(
            session,
            consultation=consultation,
            question=question,
            coder_id=values.get("coder"),
            amount=values.get("amount"),
            unit=values.get("unit"),
            requester=user,
            now=utcnow(),
        )
    except FormInvalid as error:
        return refused_on_consultation(
            request, session, consultation, error, values=values, form_id="second"
        )
    return back_to_consultation(
        request,
        consultation,
        f"{sample.sample_size:,} coded answers to question {question.position} sampled for a "
        "blind second coding.",
        section="assurance",
    )


@router.get(
    "/{slug}/questions/{number}/second-coding", name="second_coding", response_class=HTMLResponse
)
def second_coding(
    request: Request,
    consultation: ConsultationBySlug,
    number: Position,
    session: SessionDep,
    user: OrganiserUser,
) -> HTMLResponse:
    page = _blind(session, consultation, number, user)
    return render(request, "analysis/second_coding.html", {"page": page, "errors": {}})


def _blind(
    session: Session, consultation: Consultation, number: int, user: User
) -> assurance.BlindPage:
    question = catalogue.get_question(session, consultation, number)
    return assurance.blind_page(session, consultation=consultation, question=question, coder=user)


def _evaluated(
    request: Request,
    session: Session,
    consultation: Consultation,
    answer_id: int,
    act: Callable[..., Question],
    by: tuple[User, FormFields],
    template: str,
    page: Callable[[int], dict[str, Any]],
) -> Question | Response:
    """``act`` (code_second or settle: an evaluation of a sampled answer) by the analyst with
    the form's evaluation; a refused evaluation answers 422 with ``template`` and the
    ``page`` of the answer's question."""
    analyst, fields = by
    try:
        return act(
            session,
            consultation=consultation,
            answer_id=answer_id,
            evaluation=fields.get("evaluation"),
            analyst=analyst,
            now=utcnow(),
        )
    except FormInvalid as error:
        number = assurance.question_of_sample(session, consultation, answer_id).position
        return form_invalid(request, session, error, template, lambda: page(number), values={})


@router.post("/{slug}/answers/{answer_id}/second-code", name="second_code_answer")
def second_code_answer(
    request: Request,
    consultation: ConsultationBySlug,
    answer_id: RowId,
    session: SessionDep,
    user: OrganiserUser,
    fields: Fields,
) -> Response:
    question = _evaluated(
        request,
        session,
        consultation,
        answer_id,
        assurance.code_second,
        (user, fields),
        "analysis/second_coding.html",
        lambda number: {"page": _blind(session, consultation, number, user)},
    )
    if isinstance(question, Response):
        return question
    url = url_for(request, "second_coding", slug=consultation.slug, number=question.position)
    return see_other(
        request, url, target="#second_coding", message=i18n._("Saved. Here is the next one.")
    )


@router.get(
    "/{slug}/questions/{number}/disagreements", name="disagreements", response_class=HTMLResponse
)
def disagreements(
    request: Request, consultation: ConsultationBySlug, number: Position, session: SessionDep
) -> HTMLResponse:
    return render(
        request,
        "analysis/disagreements.html",
        {**_listing(session, consultation, number), "errors": {}},
    )


def _listing(session: Session, consultation: Consultation, number: int) -> dict[str, Any]:
    question = catalogue.get_question(session, consultation, number)
    return {
        "consultation": consultation,
        "question": question,
        "items": assurance.disagreements(session, question=question),
        "agreement": next(iter(assurance.agreements(session, questions=[question])), None),
    }


@router.post("/{slug}/answers/{answer_id}/settle", name="settle_disagreement")
def settle_disagreement(
    request: Request,
    consultation: ConsultationBySlug,
    answer_id: RowId,
    session: SessionDep,
    user: OrganiserUser,
    fields: Fields,
) -> Response:
    question = _evaluated(
        request,
        session,
        consultation,
        answer_id,
        assurance.settle,
        (user, fields),
        "analysis/disagreements.html",
        lambda number: {**_listing(session, consultation, number), "failed": answer_id},
    )
    if isinstance(question, Response):
        return question
    url = url_for(request, "disagreements", slug=consultation.slug, number=question.position)
    settled = fields.get("evaluation")
    return see_other(
        request,
        url,
        message=i18n._(
            "Answer {answer_id} settled as {settled}: Annex A counts it so.",
            answer_id=answer_id,
            settled=settled,
        ),
    )
