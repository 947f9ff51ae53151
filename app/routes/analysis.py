"""Analysis pages for organisers: the coding workspace, Annex A and the answers behind a cell."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from app.analysis import cells, coding, dashboard, grouping, tallies
from app.consultations import catalogue
from app.deps import ConsultationBySlug, OrganiserUser, SessionDep, require_organiser
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel.clock import utcnow
from kernel.errors import FormInvalid

# The role is checked before anything is looked up, so a draft is never "not found" to a
# visitor who should be asked to sign in.
router = APIRouter(prefix="/organise", tags=["analysis"], dependencies=[Depends(require_organiser)])


async def _form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(_form)]


def _tag_ids(form: FormData) -> list[int]:
    return [int(v) for v in form.getlist("tag") if isinstance(v, str) and v.isdigit()]


def _workspace_context(
    session: SessionDep,
    consultation,
    number: int,
    *,
    answer: int | None = None,
    after: int | None = None,
) -> dict:
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
    number: int,
    session: SessionDep,
    user: OrganiserUser,
    answer: int | None = None,
    after: int | None = None,
) -> HTMLResponse:
    context = _workspace_context(session, consultation, number, answer=answer, after=after)
    return render(request, "analysis/workspace.html", {**context, "errors": {}})


@router.post("/{slug}/answers/{answer_id}/code", name="code_answer")
def code_answer(
    request: Request,
    consultation: ConsultationBySlug,
    answer_id: int,
    session: SessionDep,
    user: OrganiserUser,
    form: FormDep,
) -> Response:
    _, question = coding.get_answer(session, consultation=consultation, answer_id=answer_id)
    try:
        coded = coding.code_answer(
            session,
            consultation=consultation,
            answer_id=answer_id,
            evaluation=form.get("evaluation"),
            tag_ids=_tag_ids(form),
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
        message=f"Answer coded {coded.evaluation}. Here is the next one.",
    )


@router.post("/{slug}/groups/{group_id}/code", name="code_group")
def code_group(
    request: Request,
    consultation: ConsultationBySlug,
    group_id: int,
    session: SessionDep,
    user: OrganiserUser,
    form: FormDep,
) -> Response:
    coded = coding.code_group(
        session,
        consultation=consultation,
        group_id=group_id,
        evaluation=form.get("evaluation"),
        tag_ids=_tag_ids(form),
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
    request: Request,
    consultation: ConsultationBySlug,
    session: SessionDep,
    user: OrganiserUser,
    form: FormDep,
) -> Response:
    values = {"label": form.get("label") or ""}
    try:
        tag = coding.add_tag(session, consultation=consultation, label=values["label"])
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "organising/consultation.html",
            lambda: {
                "view": dashboard.organiser_view(session, consultation=consultation, now=utcnow()),
                "failed_form": "tag",
            },
            values=values,
        )
    return see_other(
        request,
        url_for(request, "organise_consultation", slug=consultation.slug) + "#codebook",
        message=f"Tag “{tag.label}” added to the codebook.",
    )


@router.post("/{slug}/campaigns", name="detect_campaigns")
def detect_campaigns(
    request: Request, consultation: ConsultationBySlug, session: SessionDep, user: OrganiserUser
) -> Response:
    found = grouping.detect_campaigns(session, consultation=consultation, now=utcnow())
    return see_other(
        request,
        url_for(request, "organise_consultation", slug=consultation.slug) + "#analysis",
        message=f"{found:,} campaign groups found.",
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
    user: OrganiserUser,
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
    number: int,
    category: str,
    session: SessionDep,
    user: OrganiserUser,
    split: str | None = None,
    group: str = "all",
    page: int = 1,
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
