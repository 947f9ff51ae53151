from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.deps import ConsultationBySlug, OptionalUser, QuestionBySlug, SessionDep
from app.participation import views
from app.web.fragments import render_question
from app.web.params import Page
from app.web.templating import render
from kernel.clock import utcnow

router = APIRouter(tags=["consultations"])


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
) -> HTMLResponse:
    view = views.question_view(
        session, located=located, viewer=viewer, sort=sort, page=page, now=utcnow()
    )
    return render_question(request, session, view)
