"""The moderators' pages: the queue, a case, claiming and deciding, appeals, watched words,
police referrals and their evidence bundles. Every route needs the moderator role."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.responses import Response

from app.deps import ModeratorId, ModeratorUser, SessionDep
from app.web.params import Page, RowId, Version
from app.web.responses import form_invalid, see_other
from app.web.templating import render
from app.web.urls import url_for
from kernel import i18n, localtime
from kernel.clock import utcnow
from kernel.errors import FormInvalid
from moderation import appeals, cases, decisions, queue, referrals, watch
from moderation.reasons import Action, ReportReason

router = APIRouter(tags=["moderation"])

Text = Annotated[str | None, Form()]


def _case_context(
    session: Session, moderator_id: int, case_id: int, *, now: datetime
) -> dict[str, Any]:
    return {
        "view": queue.case_view(session, case_id=case_id, moderator_id=moderator_id, now=now),
        "actions": list(Action),
        "reasons": list(ReportReason),
        "template": decisions.TEMPLATES["general"],
    }


@router.get("/moderation", name="moderation_queue", response_class=HTMLResponse)
def queue_page(
    request: Request,
    session: SessionDep,
    user: ModeratorUser,
    state: str | None = None,
    reason: str | None = None,
    consultation: str | None = None,
    age: str | None = None,
    page: Page = 1,
) -> HTMLResponse:
    filters = queue.QueueFilters.parse(
        state=state, reason=reason, consultation=consultation, age=age
    )
    result = queue.queue_page(
        session,
        filters=filters,
        page=page,
        now=utcnow(),
        per_page=request.app.state.settings.moderation_queue_per_page,
    )
    return render(
        request,
        "moderation/queue.html",
        {
            "queue": result,
            "reasons": list(ReportReason),
            # Translated here: the template reads them with .items() and .get().
            "states": {key: i18n.gettext(label) for key, label in queue.STATE_LABELS.items()},
            "ages": {key: i18n.gettext(label) for key, label in queue.AGE_FILTERS.items()},
            "consultations": cases.consultations_with_cases(session),
        },
    )


@router.get("/moderation/cases/{case_id}", name="moderation_case", response_class=HTMLResponse)
def case_page(
    request: Request, case_id: RowId, session: SessionDep, moderator_id: ModeratorId
) -> HTMLResponse:
    return render(
        request,
        "moderation/case.html",
        {**_case_context(session, moderator_id, case_id, now=utcnow()), "errors": {}, "values": {}},
    )


@router.post("/moderation/cases/{case_id}/claim", name="moderation_claim")
def claim(
    request: Request, case_id: RowId, session: SessionDep, moderator_id: ModeratorId
) -> Response:
    case = queue.claim(session, case_id=case_id, moderator_id=moderator_id, now=utcnow())
    return see_other(
        request,
        url_for(request, "moderation_case", case_id=case_id),
        message=i18n._(
            "You have claimed this case until {current}.",
            current=localtime.current().time(case.claim_expires_at),
        ),
    )


@router.post("/moderation/cases/{case_id}/decide", name="moderation_decide")
def decide(
    request: Request,
    case_id: RowId,
    session: SessionDep,
    moderator_id: ModeratorId,
    version: Version,
    action: Text = None,
    basis: Text = None,
    statement: Text = None,
    suspend_days: Text = None,
    remove_post: Text = None,
    force: Text = None,
    police_reference: Text = None,
) -> Response:
    now = utcnow()
    try:
        decision = decisions.decide(
            session,
            case_id=case_id,
            moderator_id=moderator_id,
            version=version,
            action=action,
            basis=basis,
            statement=statement,
            suspend_days=suspend_days,
            remove_post=remove_post == "yes",
            force=force or "",
            police_reference=police_reference or "",
            now=now,
        )
    except FormInvalid as problem:
        return form_invalid(
            request,
            session,
            problem,
            "moderation/case.html",
            lambda: _case_context(session, moderator_id, case_id, now=now),
            values={
                "action": action,
                "basis": basis,
                "statement": statement,
                "suspend_days": suspend_days,
                "force": force,
                "police_reference": police_reference,
            },
        )
    return see_other(
        request,
        url_for(request, "moderation_queue"),
        message=i18n._(
            "Decided: {Action}. The reporter and the author have been told, with your reasons.",
            Action=Action(decision.action).label,
        ),
    )


@router.get("/moderation/appeals", name="moderation_appeals", response_class=HTMLResponse)
def appeals_page(
    request: Request, session: SessionDep, user: ModeratorUser, page: Page = 1
) -> HTMLResponse:
    return render(
        request,
        "moderation/appeals.html",
        {"pending": appeals.pending_appeals(session, page=page), "page": page},
    )


@router.post("/moderation/appeals/{appeal_id}/decide", name="moderation_decide_appeal")
def decide_appeal(
    request: Request,
    appeal_id: RowId,
    session: SessionDep,
    moderator_id: ModeratorId,
    version: Version,
    outcome: Text = None,
    statement: Text = None,
) -> Response:
    appeal = appeals.decide_appeal(
        session,
        appeal_id=appeal_id,
        moderator_id=moderator_id,
        version=version,
        upheld=outcome == "upheld",
        statement=statement,
        now=utcnow(),
    )
    return see_other(
        request,
        url_for(request, "moderation_case", case_id=appeal.case_id),
        message=i18n._(
            "Appeal {outcome}. The appellant has been told why.", outcome=appeal.outcome
        ),
    )


@router.get("/moderation/watched-words", name="moderation_watch", response_class=HTMLResponse)
def watch_page(request: Request, session: SessionDep, user: ModeratorUser) -> HTMLResponse:
    return render(
        request,
        "moderation/watch.html",
        {"words": watch.words(session), "errors": {}, "values": {}},
    )


@router.post("/moderation/watched-words", name="moderation_watch_add")
def watch_add(
    request: Request,
    session: SessionDep,
    moderator_id: ModeratorId,
    phrase: Text = None,
    action: Text = None,
) -> Response:
    try:
        watch.add_word(
            session, phrase=phrase, action=action, moderator_id=moderator_id, now=utcnow()
        )
    except FormInvalid as problem:
        return form_invalid(
            request,
            session,
            problem,
            "moderation/watch.html",
            lambda: {"words": watch.words(session)},
            values={"phrase": phrase, "action": action},
        )
    return see_other(
        request, url_for(request, "moderation_watch"), message=i18n._("Watched phrase added.")
    )


@router.post("/moderation/watched-words/{word_id}/delete", name="moderation_watch_delete")
def watch_delete(
    request: Request, word_id: RowId, session: SessionDep, moderator_id: ModeratorId
) -> Response:
    watch.remove_word(session, word_id=word_id, moderator_id=moderator_id, now=utcnow())
    return see_other(
        request, url_for(request, "moderation_watch"), message=i18n._("Watched phrase removed.")
    )


@router.post("/moderation/referrals/{referral_id}", name="moderation_referral_update")
def referral_update(
    request: Request,
    referral_id: RowId,
    session: SessionDep,
    moderator_id: ModeratorId,
    force: Text = None,
    police_reference: Text = None,
) -> Response:
    referral = referrals.update_referral(
        session,
        referral_id=referral_id,
        actor_id=moderator_id,
        force=force,
        police_reference=police_reference,
        now=utcnow(),
    )
    return see_other(
        request,
        url_for(request, "moderation_case", case_id=referral.case_id),
        message=i18n._("The referral's police details were recorded."),
    )


@router.post("/moderation/referrals/{referral_id}/bundle", name="moderation_bundle")
def bundle(referral_id: RowId, session: SessionDep, moderator_id: ModeratorId) -> Response:
    name, data = referrals.build_bundle(
        session, referral_id=referral_id, actor_id=moderator_id, now=utcnow()
    )
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
