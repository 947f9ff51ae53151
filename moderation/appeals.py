"""Appeals: the author against a removal or sanction, a reporter against a dismissal; once per
decision, within the appeal window, with a written reason; decided by another moderator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from kernel import i18n
from kernel.errors import Forbidden, FormInvalid, NotFound
from kernel.text import clean
from moderation import hooks, notices, posts
from moderation.cases import get_case, move_case, reporter_ids
from moderation.decisions import UPHELD_ACTIONS, _statement_ok
from moderation.errors import AlreadyAppealed, AppealWindowClosed, ReasonsRequired, StaleCase
from moderation.models import Appeal, Decision, ModerationCase, Report, Sanction, saved_id
from moderation.reasons import Action
from moderation.states import (
    AppealDecided,
    AppealLodged,
    CaseState,
    appeal_window_open,
    can_decide_appeal,
    next_state,
)

REASON_MIN, REASON_MAX = 20, 5000


def appellant_role(
    session: Session, *, decision: Decision, case: ModerationCase, user_id: int
) -> str | None:
    """``author`` or ``reporter`` if this person may appeal this decision, else None."""
    action = Action(decision.action)
    if case.author_id == user_id and action in UPHELD_ACTIONS:
        return "author"
    if action == Action.dismiss and user_id in reporter_ids(session, saved_id(case)):
        return "reporter"
    return None


@dataclass(frozen=True)
class AppealContext:
    decision: Decision
    case: ModerationCase
    role: str
    action_label: str


def appeal_context(
    session: Session, *, decision_id: int, user_id: int, now: datetime
) -> AppealContext:
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFound(i18n._("There is no such decision."))
    case = get_case(session, decision.case_id)
    role = appellant_role(session, decision=decision, case=case, user_id=user_id)
    if role is None:
        raise Forbidden(
            i18n._(
                "Only the author of the post (against a removal or sanction) or a "
                "person who reported it (against a dismissal) can appeal."
            )
        )
    if session.exec(select(Appeal.id).where(Appeal.decision_id == decision.id)).first():
        raise AlreadyAppealed()
    if not appeal_window_open(
        decided_at=decision.created_at, now=now, window=hooks.settings(session).appeal_window
    ):
        raise AppealWindowClosed()
    if case.state != CaseState.decided:
        raise AlreadyAppealed("This decision can no longer be appealed: it has been reviewed.")
    return AppealContext(
        decision=decision, case=case, role=role, action_label=Action(decision.action).label
    )


def lodge_appeal(
    session: Session, *, decision_id: int, appellant_id: int, reason: str | None, now: datetime
) -> Appeal:
    ctx = appeal_context(session, decision_id=decision_id, user_id=appellant_id, now=now)
    reason = clean(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise FormInvalid(
            {
                "reason": i18n._(
                    "Explain why in {REASON_MIN} to {REASON_MAX:,} characters.",
                    REASON_MIN=REASON_MIN,
                    REASON_MAX=REASON_MAX,
                )
            }
        )
    case = ctx.case
    target = next_state(CaseState(case.state), AppealLodged())
    if not move_case(
        session,
        case_id=ctx.decision.case_id,
        version=case.version,
        state=target,
        only_from=CaseState.decided,
    ):
        raise AlreadyAppealed()
    appeal = Appeal(
        decision_id=decision_id,
        case_id=ctx.decision.case_id,
        appellant_id=appellant_id,
        appellant_role=ctx.role,
        reason=reason,
        created_at=now,
    )
    session.add(appeal)
    session.flush()
    session.refresh(case)
    notices.notify(
        session,
        recipient_id=appellant_id,
        case_id=case.id,
        subject="We received your appeal",
        body=(
            "A different moderator will review the decision and tell you the "
            "outcome and the reasons."
        ),
        now=now,
    )
    return appeal


def decide_appeal(
    session: Session,
    *,
    appeal_id: int,
    moderator_id: int,
    version: int,
    upheld: bool,
    statement: str | None,
    now: datetime,
) -> Appeal:
    """Uphold (reverse the decision) or reject an appeal; by someone other than the original
    decider, the appellant, the author or a reporter."""
    appeal = session.get(Appeal, appeal_id)
    if appeal is None or appeal.outcome != "pending":
        raise NotFound(i18n._("There is no such pending appeal."))
    case = get_case(session, appeal.case_id)
    original = session.get(Decision, appeal.decision_id)
    if original is None:
        raise NotFound(i18n._("There is no such decision."))
    verdict = can_decide_appeal(
        moderator_id=moderator_id,
        original_decider_id=original.moderator_id or -1,
        appellant_id=appeal.appellant_id or -1,
        reporter_ids=reporter_ids(session, appeal.case_id),
    )
    verdict.raise_if_refused()
    if case.author_id == moderator_id:
        raise Forbidden(i18n._("You wrote this post, so another moderator must review the appeal."))
    statement = clean(statement)
    if not _statement_ok(statement):
        raise FormInvalid({"statement": ReasonsRequired.title + "."})
    if case.version != version:
        raise StaleCase("the appeal was already decided or the case changed")
    target = next_state(CaseState(case.state), AppealDecided(upheld=upheld))
    if not move_case(
        session, case_id=appeal.case_id, version=version, state=target, release_claim=True
    ):
        raise StaleCase("another moderator decided the appeal a moment ago")
    appeal.outcome = "upheld" if upheld else "rejected"
    appeal.statement, appeal.decided_by, appeal.decided_at = statement, moderator_id, now
    session.add(appeal)
    if upheld:
        _reverse(session, case=case, original=original, now=now)
    session.flush()
    hooks.audit(
        session,
        actor_id=moderator_id,
        action="moderation.appeal." + appeal.outcome,
        subject_type="appeal",
        subject_id=appeal_id,
        details={"case_id": appeal.case_id, "decision_id": appeal.decision_id},
        now=now,
    )
    outcome = (
        "Your appeal was upheld: the decision has been reversed."
        if upheld
        else "Your appeal was not upheld: the decision stands."
    )
    notices.notify(
        session,
        recipient_id=appeal.appellant_id,
        case_id=case.id,
        subject="The outcome of your appeal",
        body=f"{outcome}\nThe reviewing moderator's reasons: {statement}",
        now=now,
    )
    return appeal


def _reverse(session: Session, *, case: ModerationCase, original: Decision, now: datetime) -> None:
    action = Action(original.action)
    if action == Action.dismiss:
        # A reporter's appeal succeeded: the post comes down after all.
        posts.set_post_state(session, case.contribution_id, posts.REMOVED)
        session.execute(
            update(Report).where(col(Report.case_id) == case.id).values(outcome="upheld")
        )
        return
    post = posts.find_post(session, case.contribution_id) if case.contribution_id else None
    if post is not None and post.state in (posts.HIDDEN, posts.REMOVED):
        posts.set_post_state(session, post.id, posts.VISIBLE)
    for sanction in session.exec(
        select(Sanction).where(
            Sanction.decision_id == original.id, col(Sanction.revoked_at).is_(None)
        )
    ):
        sanction.revoked_at = now
        session.add(sanction)
        if sanction.kind in (Action.suspend, Action.exclude):
            posts.set_account_status(session, sanction.account_id, status="active")
    session.execute(
        update(Report).where(col(Report.case_id) == case.id).values(outcome="dismissed")
    )


@dataclass(frozen=True)
class PendingAppeal:
    appeal: Appeal
    case: ModerationCase
    decision: Decision


def pending_appeals(session: Session, *, page: int = 1, per_page: int = 50) -> list[PendingAppeal]:
    rows = session.exec(
        select(Appeal, ModerationCase, Decision)
        .join(ModerationCase, col(ModerationCase.id) == Appeal.case_id)
        .join(Decision, col(Decision.id) == Appeal.decision_id)
        .where(Appeal.outcome == "pending")
        .order_by(col(ModerationCase.severity_band), col(Appeal.created_at), col(Appeal.id))
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    ).all()
    return [PendingAppeal(a, c, d) for a, c, d in rows]


def appealable_for(
    session: Session, *, user_id: int, now: datetime, limit: int = 20
) -> list[AppealContext]:
    """Decisions this person may still appeal (their posts' removals and sanctions, and
    dismissals of their reports), newest first."""
    cutoff = now - hooks.settings(session).appeal_window
    mine = select(Report.case_id).where(Report.reporter_id == user_id)
    rows = session.exec(
        select(Decision, ModerationCase)
        .join(ModerationCase, col(ModerationCase.id) == Decision.case_id)
        .where(
            ModerationCase.state == CaseState.decided,
            Decision.created_at >= cutoff,
            (col(ModerationCase.author_id) == user_id) | col(ModerationCase.id).in_(mine),
        )
        .order_by(col(Decision.id).desc())
        .limit(limit)
    ).all()
    out = []
    for decision, case in rows:
        role = appellant_role(session, decision=decision, case=case, user_id=user_id)
        latest = decision.case_version == case.version - 1
        if role and latest:
            out.append(AppealContext(decision, case, role, Action(decision.action).label))
    return out
