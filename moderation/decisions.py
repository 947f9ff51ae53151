"""Deciding a case: an action, the rule or legal category it rests on, a specific statement of
reasons, made on a stated version of the case, applied once.

Concurrency: the decision first moves the case with ``UPDATE … WHERE id = :id AND version =
:seen``. Of two moderators deciding at the same moment, the database lets one update the row;
the other's update matches nothing (PostgreSQL re-reads the row after the first commits) and
is refused with ``StaleCase``. ``UNIQUE (case_id, case_version)`` on decisions backs this up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from kernel import i18n, localtime
from kernel.errors import FormInvalid
from kernel.text import clean
from moderation import hooks, notices, posts
from moderation.cases import get_case, move_case, reporter_ids
from moderation.errors import ReasonsRequired, StaleCase
from moderation.models import Decision, ModerationCase, Report, Sanction, saved_id
from moderation.reasons import Action, PostEffect, ReportReason, basis_permits
from moderation.states import (
    CaseState,
    DecisionMade,
    can_decide,
    check_claim,
    next_state,
    statement_is_specific,
)

# Starting points only: a statement that is (nearly) one of these is refused.
TEMPLATES: dict[str, str] = {
    "general": "Having read the post and its context, we decided this because ",
    "dismiss": "We read the post and the reports and found that it does not break the law "
    "or our rules, because ",
    "remove": "We removed this post because it ",
}
MAX_SUSPEND_DAYS = 365
UPHELD_ACTIONS = {
    Action.hide,
    Action.remove,
    Action.warn,
    Action.suspend,
    Action.exclude,
    Action.refer_police,
}


def _statement_ok(statement: str) -> bool:
    return all(statement_is_specific(statement, template=t) for t in TEMPLATES.values())


def validate(
    *, action: str | None, basis: str | None, statement: str | None, suspend_days: str | int | None
) -> tuple[Action, ReportReason | None, str, int | None]:
    errors: dict[str, str] = {}
    try:
        parsed = Action(action or "")
    except ValueError:
        parsed = None
        errors["action"] = i18n._("Choose what to do.")
    try:
        reason = ReportReason(basis) if basis else None
    except ValueError:
        reason = None
    if parsed is not None and not basis_permits(parsed, reason):
        errors["basis"] = (
            i18n._("A police referral must rest on one of the four legal categories.")
            if parsed.requires_legal_basis
            else i18n._("Choose the rule or legal category this decision rests on.")
        )
    statement = clean(statement)
    if not _statement_ok(statement):
        errors["statement"] = ReasonsRequired.title + "."
    days = None
    if parsed == Action.suspend:
        try:
            days = int(suspend_days or "")
            if not 1 <= days <= MAX_SUSPEND_DAYS:
                raise ValueError
        except ValueError:
            errors["suspend_days"] = i18n._(
                "Enter a number of days from 1 to {MAX_SUSPEND_DAYS}.",
                MAX_SUSPEND_DAYS=MAX_SUSPEND_DAYS,
            )
    if errors or parsed is None:  # no action means an error above
        raise FormInvalid(errors)
    return parsed, reason, statement, days


def decide(
    session: Session,
    *,
    case_id: int,
    moderator_id: int,
    version: int,
    action: str | None,
    basis: str | None,
    statement: str | None,
    suspend_days: str | int | None = None,
    remove_post: bool = False,
    force: str = "",
    police_reference: str = "",
    now: datetime,
) -> Decision:
    """Decide an open or held case; refused if the case changed since ``version``."""
    case = get_case(session, case_id)
    reporters = reporter_ids(session, case_id)
    can_decide(
        moderator_id=moderator_id,
        reporter_ids=reporters,
        author_id=case.author_id if case.author_id is not None else -1,
    ).raise_if_refused()
    parsed, reason, statement, days = validate(
        action=action, basis=basis, statement=statement, suspend_days=suspend_days
    )
    if case.version != version:
        raise StaleCase(_changes(session, case, version))
    check_claim(
        moderator_id=moderator_id,
        claimed_by=case.claimed_by,
        claim_expires_at=case.claim_expires_at,
        now=now,
    )
    target = next_state(CaseState(case.state), DecisionMade(parsed))
    if not move_case(
        session,
        case_id=case_id,
        version=version,
        state=target,
        decided_at=now,
        release_claim=True,
    ):
        raise StaleCase("another moderator decided it a moment ago")
    session.refresh(case)
    decision = Decision(
        case_id=case_id,
        case_version=version,
        moderator_id=moderator_id,
        action=parsed.value,
        basis=reason.value if reason else None,
        basis_kind=reason.basis if reason else None,
        statement=statement,
        is_automated=case.automation_involved,
        suspend_days=days,
        seconds_to_decision=max(0, int((now - case.first_reported_at).total_seconds())),
        severity_band=case.severity_band,
        created_at=now,
    )
    session.add(decision)
    session.flush()
    _apply(
        session,
        case=case,
        decision=decision,
        action=parsed,
        days=days,
        remove_post=remove_post,
        now=now,
    )
    if parsed == Action.refer_police:
        from moderation import referrals

        referrals.create_referral(
            session,
            case=case,
            decision=decision,
            actor_id=moderator_id,
            force=force,
            police_reference=police_reference,
            now=now,
        )
    hooks.audit(
        session,
        actor_id=moderator_id,
        action=f"moderation.decide.{parsed.value}",
        subject_type="case",
        subject_id=case_id,
        details={
            "decision_id": decision.id,
            "version": version,
            "basis": decision.basis,
            "automation": decision.is_automated,
        },
        now=now,
    )
    _tell(session, case=case, decision=decision, action=parsed, reason=reason, now=now)
    return decision


def _changes(session: Session, case: ModerationCase, seen: int) -> str:
    if case.state not in (CaseState.open, CaseState.held):
        return "a decision has already been made"
    return "new reports arrived"


def _apply(
    session: Session,
    *,
    case: ModerationCase,
    decision: Decision,
    action: Action,
    days: int | None,
    remove_post: bool,
    now: datetime,
) -> None:
    post = posts.find_post(session, case.contribution_id) if case.contribution_id else None
    effect = action.post_effect
    if post is not None and post.state != posts.DELETED:
        if (
            action == Action.remove
            or (remove_post and action.is_sanction)
            or (remove_post and action == Action.refer_police)
        ):
            posts.set_post_state(session, post.id, posts.REMOVED)
        elif effect == PostEffect.hidden:
            posts.set_post_state(session, post.id, posts.HIDDEN)
        elif effect in (PostEffect.restored, PostEffect.published):
            posts.set_post_state(session, post.id, posts.VISIBLE)
            if post.state == posts.HELD:  # published for the first time
                hooks.post_published(session, post_id=post.id, now=now)
    if action.is_sanction and case.author_id is not None:
        ends = now + timedelta(days=days) if days else None
        session.add(
            Sanction(
                account_id=case.author_id,
                decision_id=saved_id(decision),
                kind=action.value,
                starts_at=now,
                ends_at=ends,
            )
        )
        if action == Action.suspend:
            posts.set_account_status(
                session, case.author_id, status="suspended", suspended_until=ends
            )
        elif action == Action.exclude:
            posts.set_account_status(session, case.author_id, status="excluded")
            hooks.exclude_identity(session, user_id=case.author_id)
    outcome = "upheld" if action in UPHELD_ACTIONS else "dismissed"
    session.execute(
        update(Report)
        .where(col(Report.case_id) == case.id, col(Report.outcome) == "pending")
        .values(outcome=outcome)
    )
    session.flush()


def _basis_text(reason: ReportReason | None) -> str:
    if reason is None:
        return "No rule or law was broken."
    if reason.legal_category:
        return f"{reason.label} (legal category {reason.legal_category})"
    return f"{reason.label} (this site's rules)"


QUOTE = 400


def _which_post(session: Session, case: ModerationCase) -> tuple[str, str]:
    """The author's post in words, and a paragraph with what it said and where it was, so
    that they know which one the decision is about."""
    post = posts.find_post(session, case.contribution_id) if case.contribution_id else None
    if post is None:
        return "your post", ""
    kind = "reply" if post.kind == "reply" else "answer"
    address = hooks.settings(session).base_url.rstrip("/")
    link = (
        f"{address}/answers/{post.parent_id}#reply-{post.id}"
        if post.kind == "reply" and post.parent_id
        else f"{address}/answers/{post.id}"
    )
    text = " ".join(post.source_text.split())
    quoted = text if len(text) <= QUOTE else text[: QUOTE - 1].rstrip() + "…"
    when = localtime.current().datetime(post.created_at)
    which = (
        f"your {kind} to question {post.question_number} of “{post.consultation_title}”, "
        f"posted on {when},"
    )
    return which, f"\n\nYour {kind} said:\n“{quoted}”\nIt was here: {link}"


def _tell(
    session: Session,
    *,
    case: ModerationCase,
    decision: Decision,
    action: Action,
    reason: ReportReason | None,
    now: datetime,
) -> None:
    window_days = hooks.settings(session).appeal_window.days
    basis = _basis_text(reason)
    references = session.exec(
        select(Report.reporter_id, Report.reference).where(Report.case_id == case.id)
    ).all()
    for reporter_id, reference in references:
        appeal = (
            "\n\nIf you disagree, you can ask for another moderator to review this "
            f"within {window_days} days from the page of your report ({reference})."
            if action == Action.dismiss
            else ""
        )
        police = (
            "\n\nYou can also report this to the police yourself: online through your "
            "local police force's website, or by calling 101 (999 in an emergency). "
            f"Give them our case reference {reference}."
            if reason is not None and reason.legal_category in (1, 2, 3)
            else ""
        )
        notices.notify(
            session,
            recipient_id=reporter_id,
            case_id=case.id,
            subject=f"Outcome of your report {reference}",
            body=(
                f"We have decided on the post you reported (reference {reference}).\n\n"
                f"Decision: {action.label}.\nRule or law: {basis}\n"
                f"Our reasons: {decision.statement}{appeal}{police}"
            ),
            now=now,
        )
    if case.author_id is not None and action != Action.approve:
        appealable = action in UPHELD_ACTIONS
        which, quoted = _which_post(session, case)
        notices.notify(
            session,
            recipient_id=case.author_id,
            case_id=case.id,
            subject="A moderator decided about your post",
            body=(
                f"A moderator reviewed {which} and decided: {action.label}.\n"
                f"Rule or law: {basis}\nOur reasons: {decision.statement}{quoted}"
                + (
                    f"\n\nYou can appeal within {window_days} days: on your notices page, "
                    "under “Decisions you can appeal”, choose “Appeal this decision” beside "
                    f"this one ({action.label}, decision {decision.id})."
                    if appealable
                    else ""
                )
            ),
            now=now,
        )
    elif case.author_id is not None:
        notices.notify(
            session,
            recipient_id=case.author_id,
            case_id=case.id,
            subject="Your post is published",
            body="A moderator reviewed your post and published it.",
            now=now,
        )
