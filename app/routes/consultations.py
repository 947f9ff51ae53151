from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.consultations import catalogue
from app.deps import ConsultationBySlug, OptionalUser, QuestionBySlug, SessionDep
from app.participation import views
from app.participation.search import AnswerFilter
from app.web.fragments import render_question
from app.web.params import Page
from app.web.templating import render
from kernel.clock import utcnow

router = APIRouter(tags=["consultations"])
Filter = Annotated[str | None, Query(max_length=200)]


@router.get("/consultations", name="consultations", response_class=HTMLResponse)
def consultations_index(
    request: Request,
    session: SessionDep,
    viewer: OptionalUser,
    theme: Filter = None,
    status: Filter = None,
    q: Filter = None,
    page: Page = 1,
) -> HTMLResponse:
    filters = catalogue.IndexFilters.read(theme=theme, status=status, words=q)
    index = catalogue.consultation_index(session, filters=filters, now=utcnow(), page=page)
    return render(request, "consultations/index.html", {"index": index})


@router.get("/consultations/{slug}", name="consultation", response_class=HTMLResponse)
def consultation_page(
    request: Request, consultation: ConsultationBySlug, session: SessionDep, viewer: OptionalUser
) -> HTMLResponse:
    view = views.consultation_view(session, consultation=consultation, viewer=viewer, now=utcnow())
    return render(request, "consultations/consultation.html", {"view": view})


@router.get(
    "/consultations/{slug}/questions/{number}", name="question", response_class=HTMLResponse
)
async def question_page(
    request: Request,
    located: QuestionBySlug,
    session: SessionDep,
    viewer: OptionalUser,
    sort: str | None = None,
    page: Page = 1,
    q: Filter = None,
    stance: Filter = None,
) -> HTMLResponse:
    view = views.question_view(
        session,
        located=located,
        viewer=viewer,
        sort=sort,
        page=page,
        now=utcnow(),
        filtered=AnswerFilter.read(q=q, stance=stance),
    )
    return render_question(request, session, view)
