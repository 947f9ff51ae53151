"""Organiser pages: consultations and their questions (create, edit, publish, close early)."""

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.responses import Response

from app.analysis import dashboard, importing, outcome
from app.consultations import catalogue, organising, overview, wording
from app.consultations.models import Consultation
from app.deps import ConsultationBySlug, OrganiserUser, SessionDep, require_organiser
from app.routes.organiser_page import back_to_consultation, refused_on_consultation
from app.web.forms import Fields, FormValues
from app.web.params import Page, Position
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n, localtime
from kernel.clock import utcnow
from kernel.errors import FormInvalid

# The role is checked before anything is looked up, so a draft is never "not found" to a
# visitor who should be asked to sign in.
router = APIRouter(prefix="/organise", tags=["organise"], dependencies=[Depends(require_organiser)])


@router.get("", name="organise_home", response_class=HTMLResponse)
def organise_home(request: Request, session: SessionDep, page: Page = 1) -> HTMLResponse:
    listing = overview.consultation_list(session, page=page, per_page=25, now=utcnow())
    return render(request, "organising/index.html", {"listing": listing})


def _form_context(session: Session, consultation: Consultation | None = None) -> dict[str, Any]:
    return {
        "themes": catalogue.themes_in_use(
            session, keep=consultation.theme_id if consultation else None
        ),
        "consultation": consultation,
        "field_ids": organising.FIELD_IDS,
    }


def _form_refused(
    request: Request,
    session: Session,
    error: FormInvalid,
    *,
    values: Mapping[str, str | None],
    consultation: Consultation | None = None,
) -> Response:
    """The consultation form again; its context is read after the rollback, so that it shows
    the consultation as stored, beside what the organiser typed."""
    return form_invalid(
        request,
        session,
        error,
        "organising/form.html",
        lambda: _form_context(session, consultation),
        values=values,
    )


@router.get("/new", name="organise_new", response_class=HTMLResponse)
def new_consultation(request: Request, session: SessionDep) -> HTMLResponse:
    return render(
        request,
        "organising/form.html",
        {
            **_form_context(session),
            "errors": {},
            "values": {"moderation_mode": "post", "required_level": "email"},
        },
    )


@router.post("/new", name="organise_create")
def create_consultation(
    request: Request, session: SessionDep, user: OrganiserUser, values: FormValues
) -> Response:
    try:
        consultation = organising.create_draft(session, values=values, organiser=user, now=utcnow())
    except FormInvalid as error:
        return _form_refused(request, session, error, values=values)
    return back_to_consultation(
        request,
        consultation,
        i18n._("Draft consultation created. Add its questions, then publish it."),
    )


@router.get("/{slug}", name="organise_consultation", response_class=HTMLResponse)
def consultation_page(
    request: Request, consultation: ConsultationBySlug, session: SessionDep
) -> HTMLResponse:
    view = dashboard.organiser_view(session, consultation=consultation, now=utcnow())
    return render(
        request, "organising/consultation.html", {"view": view, "errors": {}, "values": {}}
    )


@router.get("/{slug}/edit", name="organise_edit", response_class=HTMLResponse)
def edit_consultation(
    request: Request, consultation: ConsultationBySlug, session: SessionDep
) -> HTMLResponse:
    values = overview.consultation_values(
        consultation, overview.documents_of(session, consultation)
    )
    return render(
        request,
        "organising/form.html",
        {**_form_context(session, consultation), "errors": {}, "values": values},
    )


@router.post("/{slug}/edit", name="organise_update")
def update_consultation(
    request: Request,
    consultation: ConsultationBySlug,
    session: SessionDep,
    user: OrganiserUser,
    values: FormValues,
) -> Response:
    try:
        organising.update_consultation(
            session, consultation=consultation, values=values, organiser=user, now=utcnow()
        )
    except FormInvalid as error:
        return _form_refused(request, session, error, values=values, consultation=consultation)
    return back_to_consultation(request, consultation, i18n._("Consultation saved."))


@router.post("/{slug}/questions", name="organise_add_question")
def add_question(
    request: Request, consultation: ConsultationBySlug, session: SessionDep, values: FormValues
) -> Response:
    try:
        question = wording.add_question(session, consultation=consultation, values=values)
    except FormInvalid as error:
        return refused_on_consultation(
            request, session, consultation, error, values=values, form_id="new"
        )
    return back_to_consultation(
        request,
        consultation,
        i18n._("Question {position} added.", position=question.position),
        section="questions",
    )


@router.post("/{slug}/questions/{number}", name="organise_edit_question")
def edit_question(
    request: Request,
    consultation: ConsultationBySlug,
    number: Position,
    session: SessionDep,
    values: FormValues,
) -> Response:
    try:
        wording.edit_question(session, consultation=consultation, number=number, values=values)
    except FormInvalid as error:
        return refused_on_consultation(
            request, session, consultation, error, values=values, form_id=str(number)
        )
    return back_to_consultation(
        request,
        consultation,
        i18n._("Question {number} saved.", number=number),
        section="questions",
    )


@router.post("/{slug}/questions/{number}/move", name="organise_move_question")
def move_question(
    request: Request,
    consultation: ConsultationBySlug,
    number: Position,
    session: SessionDep,
    fields: Fields,
) -> Response:
    direction = "up" if fields.get("direction") == "up" else "down"
    wording.move_question(session, consultation=consultation, number=number, direction=direction)
    return back_to_consultation(
        request,
        consultation,
        i18n._("Question {number} moved {direction}.", number=number, direction=direction),
        section="questions",
    )


@router.post("/{slug}/questions/{number}/remove", name="organise_remove_question")
def remove_question(
    request: Request, consultation: ConsultationBySlug, number: Position, session: SessionDep
) -> Response:
    wording.remove_question(session, consultation=consultation, number=number)
    return back_to_consultation(
        request,
        consultation,
        i18n._("Question {number} removed.", number=number),
        section="questions",
    )


@router.post("/{slug}/publish", name="organise_publish")
def publish(
    request: Request, consultation: ConsultationBySlug, session: SessionDep, user: OrganiserUser
) -> Response:
    organising.publish(session, consultation=consultation, organiser=user, now=utcnow())
    return back_to_consultation(request, consultation, i18n._("Consultation published."))


@router.get("/{slug}/close", name="organise_close_confirm", response_class=HTMLResponse)
def confirm_close_early(
    request: Request, consultation: ConsultationBySlug, session: SessionDep
) -> HTMLResponse:
    """Closing early cannot be undone: this page asks first (a form, without script too)."""
    view = dashboard.organiser_view(session, consultation=consultation, now=utcnow())
    return render(request, "organising/close.html", {"view": view, "errors": {}})


@router.post("/{slug}/close", name="organise_close")
def close_early(
    request: Request,
    consultation: ConsultationBySlug,
    session: SessionDep,
    user: OrganiserUser,
    confirm: Annotated[str | None, Form()] = None,
) -> Response:
    if confirm != "yes":
        return form_invalid(
            request,
            session,
            FormInvalid(
                {"confirm": i18n._("Tick the box to confirm that you want to close it now.")}
            ),
            "organising/close.html",
            lambda: {
                "view": dashboard.organiser_view(session, consultation=consultation, now=utcnow())
            },
            values={"confirm": confirm},
        )
    organising.close_early(session, consultation=consultation, organiser=user, now=utcnow())
    return back_to_consultation(
        request, consultation, i18n._("Consultation closed. Nobody can answer or reply any more.")
    )


@router.get("/{slug}/import", name="organise_import", response_class=HTMLResponse)
def import_page(
    request: Request, consultation: ConsultationBySlug, session: SessionDep
) -> HTMLResponse:
    questions = catalogue.questions_of(session, consultation)
    return render(
        request,
        "organising/import.html",
        {"consultation": consultation, "questions": questions, "problems": []},
    )


@router.post("/{slug}/import", name="organise_import_file")
def import_file(
    request: Request,
    consultation: ConsultationBySlug,
    session: SessionDep,
    user: OrganiserUser,
    file: UploadFile = File(...),
) -> Response:
    # A plain ``def``: reading and checking the file run in the thread pool, never on the event
    # loop, so a slow file cannot hold up other requests.
    data = file.file.read(importing.MAX_BYTES + 1)
    try:
        result = importing.import_responses(
            session,
            consultation=consultation,
            filename=file.filename or "upload.csv",
            data=data,
            organiser=user,
            now=utcnow(),
        )
    except importing.ImportInvalid as error:
        problems = error.problems
        return form_invalid(
            request,
            session,
            error,
            "organising/import.html",
            lambda: {
                "consultation": consultation,
                "questions": catalogue.questions_of(session, consultation),
                "problems": problems,
                "filename": file.filename,
            },
            values={},
        )
    if result.already_imported is not None:
        when = localtime.current().date(result.already_imported.imported_at)
        message = i18n._("This file was already imported on {when}: nothing was added.", when=when)
    else:
        message = f"{result.imported:,} responses imported ({result.late:,} late)." + (
            f" {len(result.skipped):,} rows were skipped: their references were imported before."
            if result.skipped
            else ""
        )
    return back_to_consultation(request, consultation, message)


@router.get("/{slug}/outcome", name="organise_outcome", response_class=HTMLResponse)
def outcome_page(
    request: Request, consultation: ConsultationBySlug, session: SessionDep
) -> HTMLResponse:
    summary = outcome.summary(session, consultation=consultation, now=utcnow())
    values = outcome.outcome_values(summary, outcome.get_outcome(session, consultation))
    return render(
        request, "organising/outcome.html", {"s": summary, "values": values, "errors": {}}
    )


@router.post("/{slug}/outcome", name="organise_save_outcome")
def save_outcome(
    request: Request, consultation: ConsultationBySlug, session: SessionDep, values: FormValues
) -> Response:
    try:
        outcome.save_outcome(session, consultation=consultation, values=values, now=utcnow())
    except FormInvalid as error:
        summary = outcome.summary(session, consultation=consultation, now=utcnow())
        return form_invalid(
            request, session, error, "organising/outcome.html", {"s": summary}, values=values
        )
    return see_other(
        request,
        url_for(request, "organise_outcome", slug=consultation.slug),
        message=i18n._("Summary of responses saved."),
    )


@router.post("/{slug}/outcome/publish", name="organise_publish_outcome")
def publish_outcome(
    request: Request, consultation: ConsultationBySlug, session: SessionDep, user: OrganiserUser
) -> Response:
    outcome.publish_outcome(session, consultation=consultation, organiser=user, now=utcnow())
    return see_other(
        request,
        url_for(request, "consultation_outcome", slug=consultation.slug),
        message=i18n._("Outcome published. Respondents with an account are being told by e-mail."),
    )
