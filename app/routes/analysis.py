"""Analysis pages for organisers: the coding workspace, Annex A and the answers behind a cell."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.responses import Response

from app.analysis import cells, coding, grouping, tallies
from app.consultations import catalogue
from app.consultations.models import Consultation
from app.deps import ConsultationBySlug, OrganiserUser, SessionDep, require_organiser
from app.routes.organiser_page import back_to_consultation, refused_on_consultation
from app.web.forms import Fields, FormFields
from app.web.params import Page, Position, QueryId, RowId
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import FormInvalid
from kernel.ids import parse_id

# The role is checked before anything is looked up, so a draft is never "not found" to a
# visitor who should be asked to sign in.
router = APIRouter(prefix="/organise", tags=["analysis"], dependencies=[Depends(require_organiser)])


def _tag_ids(fields: FormFields) -> list[int]:
    return [tag for tag in map(parse_id, fields.getlist("tag")) if tag is not None]


def _workspace_context(
    session: Session,
    consultation: Consultation,
    number: Position,
    *,
    answer: QueryId = None,
    after: QueryId = None,
) -> dict[str, Any]:
    questions = catalogue.questions_of(session, consultation)
    question = catalogue.get_question(session, consultation, number)
    view = coding.workspace(
        session,
        consultation=consultation,
        question=question,
        questions=questions,
        answer_id=answer,
        after=after,
    )
    annex = tallies.annex_a(session, consultation=consultation, questions=[question])
    return {
        "ws": view,
        "row": annex.main.rows[0],
        "table": annex.main,
        "hints": coding.EVALUATION_HINTS,
    }


@router.get("/{slug}/questions/{number}/code", name="workspace", response_class=HTMLResponse)
def workspace(
    request: Request,
    consultation: ConsultationBySlug,
    number: Position,
    session: SessionDep,
    answer: QueryId = None,
    after: QueryId = None,
) -> HTMLResponse:
    context = _workspace_context(session, consultation, number, answer=answer, after=after)
    return render(request, "analysis/workspace.html", {**context, "errors": {}})


@router.post("/{slug}/answers/{answer_id}/code", name="code_answer")
def code_answer(
    request: Request,
    consultation: ConsultationBySlug,
    answer_id: RowId,
    session: SessionDep,
    user: OrganiserUser,
    fields: Fields,
) -> Response:
    _, question = coding.get_answer(session, consultation=consultation, answer_id=answer_id)
    try:
        coded = coding.code_answer(
            session,
            consultation=consultation,
            answer_id=answer_id,
            evaluation=fields.get("evaluation"),
            tag_ids=_tag_ids(fields),
            coder=user,
            now=utcnow(),
        )
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "analysis/workspace.html",
            lambda: _workspace_context(session, consultation, question.position, answer=answer_id),
            values={},
        )
    return see_other(
        request,
        url_for(
            request,
            "workspace",
            slug=consultation.slug,
            number=question.position,
            _query={"after": answer_id},
        ),
        target="#workspace",
        message=i18n._(
            "Answer coded {evaluation}. Here is the next one.", evaluation=coded.evaluation
        ),
    )


@router.post("/{slug}/groups/{group_id}/code", name="code_group")
def code_group(
    request: Request,
    consultation: ConsultationBySlug,
    group_id: RowId,
    session: SessionDep,
    user: OrganiserUser,
    fields: Fields,
) -> Response:
    coded = coding.code_group(
        session,
        consultation=consultation,
        group_id=group_id,
        evaluation=fields.get("evaluation"),
        tag_ids=_tag_ids(fields),
        coder=user,
        now=utcnow(),
    )
    return see_other(
        request,
        url_for(request, "workspace", slug=consultation.slug, number=coded.question_number),
        target="#workspace",
        message=f"{coded.count:,} campaign answers coded {coded.evaluation.value}.",
    )


@router.post("/{slug}/codebook", name="add_tag")
def add_tag(
    request: Request, consultation: ConsultationBySlug, session: SessionDep, fields: Fields
) -> Response:
    values = {"label": fields.get("label") or ""}
    try:
        tag = coding.add_tag(session, consultation=consultation, label=values["label"])
    except FormInvalid as error:
        return refused_on_consultation(
            request, session, consultation, error, values=values, form_id="tag"
        )
    return back_to_consultation(
        request,
        consultation,
        i18n._("Tag “{label}” added to the codebook.", label=tag.label),
        section="codebook",
    )


@router.post("/{slug}/campaigns", name="detect_campaigns")
def detect_campaigns(
    request: Request, consultation: ConsultationBySlug, session: SessionDep
) -> Response:
    found = grouping.detect_campaigns(session, consultation=consultation, now=utcnow())
    return back_to_consultation(
        request, consultation, f"{found:,} campaign groups found.", section="analysis"
    )


def _split(value: str | None) -> tallies.Split:
    try:
        return tallies.Split(value or "all")
    except ValueError:
        return tallies.Split.all


@router.get("/{slug}/annex-a", name="annex_a", response_class=HTMLResponse)
def annex_a(
    request: Request,
    consultation: ConsultationBySlug,
    session: SessionDep,
    split: str | None = None,
) -> HTMLResponse:
    chosen = _split(split)
    annex = tallies.annex_a(session, consultation=consultation, split=chosen)
    return render(
        request,
        "analysis/annex.html",
        {"consultation": consultation, "annex": annex, "splits": list(tallies.Split)},
    )


@router.get("/{slug}/annex-a/{number}/{category}", name="annex_cell", response_class=HTMLResponse)
def annex_cell(
    request: Request,
    consultation: ConsultationBySlug,
    number: Position,
    category: str,
    session: SessionDep,
    split: str | None = None,
    group: str = "all",
    page: Page = 1,
) -> HTMLResponse:
    question = catalogue.get_question(session, consultation, number)
    cell = cells.cell_answers(
        session,
        consultation=consultation,
        question=question,
        category=category,
        split=_split(split),
        group=group,
        page=page,
    )
    return render(request, "analysis/cell.html", {"consultation": consultation, "cell": cell})
