from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from app.deps import (
    ConsultationBySlug,
    CurrentUser,
    OptionalUser,
    PostingLimit,
    QuestionBySlug,
    SessionDep,
)
from app.participation import commands, receipts, views
from app.participation.models import PostState
from app.web.fragments import question_context
from app.web.params import Page, RowId
from app.web.responses import form_invalid, see_other
from app.web.templating import fragment_block, render
from app.web.urls import url_for
from app.web.writes import commits_in_worker_thread
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import FormInvalid

router = APIRouter(tags=["participation"])

Text = Annotated[str | None, Form()]


def _content_note(ticked: str | None, note: str | None) -> str | None:
    """The content note as the domain reads it: None when the box was not ticked."""
    return (note or "") if ticked else None


def _publish_choice(value: str | None) -> bool | None:
    return {"public": True, "private": False}.get(value or "")


@router.post("/consultations/{slug}/questions/{number}/answer", name="submit_answer")
@commits_in_worker_thread
def submit_answer(
    request: Request,
    located: QuestionBySlug,
    session: SessionDep,
    user: CurrentUser,
    limit: PostingLimit,
    stance: Text = None,
    text: Text = None,
    publish: Text = None,
    has_content_note: Text = None,
    content_note: Text = None,
) -> Response:
    now = utcnow()
    consultation, question = located.consultation, located.question
    try:
        answer = commands.submit_answer(
            session,
            consultation=consultation,
            question=question,
            author=user,
            stance=stance,
            text=text,
            publish=_publish_choice(publish),
            now=now,
            limit=limit,
            content_note=_content_note(has_content_note, content_note),
        )
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "consultations/question.html",
            lambda: question_context(
                request,
                session,
                views.question_view(
                    session, located=located, viewer=user, sort=None, page=1, now=now
                ),
            ),
            values={
                "stance": stance,
                "text": text,
                "publish": publish,
                "has_content_note": has_content_note,
                "content_note": content_note,
            },
        )
    session.commit()  # now, not after the response is built (app/web/writes.py)
    message = (
        i18n._("Your answer was updated.") if answer.edited_at else i18n._("Your answer was saved.")
    )
    if answer.state == PostState.held:
        message = (
            i18n._(
                "Your answer was updated. It is awaiting review by a moderator before it is "
                "published."
            )
            if answer.edited_at
            else i18n._(
                "Your answer was saved. It is awaiting review by a moderator before it is "
                "published."
            )
        )
    return see_other(
        request,
        url_for(request, "question", slug=consultation.slug, number=question.position),
        target="#participation",
        message=message,
    )


@router.get("/answers/{answer_id}", name="answer", response_class=HTMLResponse)
def answer_page(
    request: Request,
    answer_id: RowId,
    session: SessionDep,
    viewer: OptionalUser,
    page: Page = 1,
) -> HTMLResponse:
    view = views.thread_view(
        session,
        answer_id=answer_id,
        now=utcnow(),
        viewer_id=viewer.id if viewer else None,
        page=page,
    )
    if fragment_block(request) == f"replies-{answer_id}":
        # "N more replies" (or a page of them) expanded in place: just the replies.
        return render(
            request,
            "participation/_answer.html",
            {"answer": view.answer, "thread": view.replies, "closed": view.closed_reason},
            block="replies",
        )
    return render(
        request,
        "participation/answer.html",
        {"view": view, "values": {}, "errors": {}},
        block="thread",
    )


@router.post("/answers/{answer_id}/replies", name="reply")
@commits_in_worker_thread
def reply(
    request: Request,
    answer_id: RowId,
    session: SessionDep,
    user: CurrentUser,
    limit: PostingLimit,
    text: Text = None,
    has_content_note: Text = None,
    content_note: Text = None,
) -> Response:
    now = utcnow()
    try:
        posted = commands.reply_at(
            session,
            answer_id=answer_id,
            author=user,
            text=text,
            now=now,
            limit=limit,
            content_note=_content_note(has_content_note, content_note),
        )
    except FormInvalid as error:
        return form_invalid(
            request,
            session,
            error,
            "participation/answer.html",
            lambda: {
                "view": views.thread_view(session, answer_id=answer_id, now=now, viewer_id=user.id)
            },
            values={
                "text": text,
                "reply_to": answer_id,
                "has_content_note": has_content_note,
                "content_note": content_note,
            },
            block="thread",
        )
    session.commit()  # now, not after the response is built (app/web/writes.py)
    message = (
        i18n._("Your reply is awaiting review by a moderator before it is published.")
        if posted.reply.state == PostState.held
        else i18n._("Your reply was posted.")
    )
    if fragment_block(request):  # htmx: the answer and its replies, fetched in place
        return see_other(
            request,
            url_for(request, "answer", answer_id=answer_id),
            target=f"#answer-{answer_id}",
            message=message,
            push=False,
        )
    # Without script: back to the question, at the answer replied to.
    question = url_for(request, "question", slug=posted.slug, number=posted.number)
    back = f"{question}#answer-{answer_id}"
    return see_other(request, back, message=message)


@router.get("/consultations/{slug}/response", name="own_response", response_class=HTMLResponse)
def own_response(
    request: Request, consultation: ConsultationBySlug, session: SessionDep, user: CurrentUser
) -> HTMLResponse:
    mine = views.own_response(session, consultation=consultation, user=user, now=utcnow())
    receipt = (
        receipts.receipt_of(session, response_id=mine.response.id)
        if mine.response is not None and mine.response.id is not None
        else None
    )
    return render(request, "participation/response.html", {"mine": mine, "receipt": receipt})


@router.post("/consultations/{slug}/response/visibility", name="response_visibility")
def response_visibility(
    request: Request,
    consultation: ConsultationBySlug,
    session: SessionDep,
    user: CurrentUser,
    publish: Text = None,
) -> Response:
    choice = _publish_choice(publish)
    if choice is None:
        raise FormInvalid(
            {"publish": i18n._("Choose whether to publish your answers or keep them private.")}
        )
    commands.set_response_visibility(
        session, consultation=consultation, user=user, is_public=choice, now=utcnow()
    )
    message = (
        i18n._("Your answers are now published under your pseudonym.")
        if choice
        else i18n._("Your answers are now private to the organisers.")
    )
    return see_other(
        request, url_for(request, "own_response", slug=consultation.slug), message=message
    )
