"""Disclosure of the identity behind a pseudonym: requested by a custodian with a reason,
approved or refused by a different custodian (the two-person rule, on by default), then shown
once, for a limited time, to the custodian who asked, and only the attributes the reason needs.

Every step is written to the hash-chained audit log (``app.audit.record``) in the same
transaction. Audit details hold ids and categories, never identity data or the written reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from app.accounts.models import Role, User
from app.audit import log as audit
from app.identity.disclosure_basis import read_basis
from app.identity.disclosure_notice import queue_disclosure_notice
from app.identity.models import Disclosure, DisclosureReason, DisclosureStatus
from app.identity.vault import service as vault
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import Conflict, Forbidden, FormInvalid, NotFound
from kernel.ids import parse_id
from kernel.rows import transition
from kernel.text import clean

REASON_MIN, REASON_MAX = 20, 4000
MAX_NOTICE_DELAY_DAYS = 365

# The minimum attributes each reason needs (data minimisation): nothing more is shown.
MINIMUM_ATTRIBUTES: dict[DisclosureReason, tuple[str, ...]] = {
    DisclosureReason.police_referral: ("name", "birthdate", "email"),
    DisclosureReason.banned_person: ("name", "birthdate"),
    DisclosureReason.court_order: ("name", "birthdate", "email"),
    DisclosureReason.own_request: ("email",),
}
ATTRIBUTE_LABELS = i18n.Labels(
    {
        "name": i18n.N_("Verified name"),
        "birthdate": i18n.N_("Date of birth"),
        "email": i18n.N_("E-mail address"),
    }
)


def _is_custodian(user: User) -> None:
    if Role.custodian not in user.role_set:
        raise Forbidden(i18n._("Only custodians may handle disclosures."))


def _record(
    session: Session,
    disclosure: Disclosure,
    action: str,
    *,
    actor: User,
    now: datetime,
    details: Mapping[str, Any],
) -> None:
    """The audit entry of a step of a stored request (``action``: ``disclosure.<action>``)."""
    assert disclosure.id is not None, "a stored disclosure"
    audit.record(
        session,
        actor_id=actor.id,
        action=f"disclosure.{action}",
        subject_type="disclosure",
        subject_id=disclosure.id,
        now=now,
        details=details,
    )


def request_disclosure(
    session: Session,
    *,
    requester: User,
    pseudonym: str | None,
    reason_category: str | None,
    reason: str | None,
    notice_delay_days: str | None,
    now: datetime,
    two_person_rule: bool = True,
    view_minutes: int = 30,
    case: str | None = None,
    referral: str | None = None,
) -> Disclosure:
    """Record a request. Without the two-person rule it is approved at once (and says so)."""
    _is_custodian(requester)
    errors: dict[str, str] = {}
    pseudonym = clean(pseudonym, single_line=True)
    # Pseudonyms are unique whatever their capitals, so they are looked up the same way.
    subject = (
        session.exec(select(User).where(func.lower(User.pseudonym) == pseudonym.lower())).first()
        if pseudonym
        else None
    )
    if not pseudonym:
        errors["pseudonym"] = i18n._("Enter the pseudonym of the participant.")
    elif subject is None:
        errors["pseudonym"] = i18n._("No participant has this pseudonym. Check its spelling.")
    elif subject.id == requester.id:
        errors["pseudonym"] = i18n._("You cannot request your own identity.")
    try:
        category = DisclosureReason(reason_category or "")
    except ValueError:
        errors["reason_category"] = i18n._("Choose the category of reason.")
        category = None
    reason = clean(reason)
    if len(reason) < REASON_MIN:
        errors["reason"] = i18n._(
            "Write the reason in at least {REASON_MIN} characters: what happened and why the "
            "identity is needed.",
            REASON_MIN=REASON_MIN,
        )
    elif len(reason) > REASON_MAX:
        errors["reason"] = i18n._(
            "Write the reason in at most {REASON_MAX} characters.", REASON_MAX=REASON_MAX
        )
    delay_until = None
    delay_text = clean(notice_delay_days, single_line=True)
    if delay_text not in ("", "0"):
        days = parse_id(delay_text)
        if days is None or days > MAX_NOTICE_DELAY_DAYS:
            errors["notice_delay_days"] = i18n._(
                "Enter a number of days from 0 to {MAX_NOTICE_DELAY_DAYS}.",
                MAX_NOTICE_DELAY_DAYS=MAX_NOTICE_DELAY_DAYS,
            )
        elif category is not DisclosureReason.police_referral:
            errors["notice_delay_days"] = i18n._(
                "Only a police referral can delay telling the person."
            )
        else:
            delay_until = now + timedelta(days=days)
    basis = read_basis(
        session,
        errors,
        category=category,
        subject_id=subject.id if subject else None,
        case=case,
        referral=referral,
    )
    if errors or subject is None or category is None:
        raise FormInvalid(errors)
    assert requester.id is not None, "a stored account"
    disclosure = Disclosure(
        subject_user_id=subject.id,
        case_id=basis.case_id,
        referral_id=basis.referral_id,
        requested_by_id=requester.id,
        reason_category=category,
        reason=reason,
        notice_delayed_until=delay_until,
        requested_at=now,
    )
    session.add(disclosure)
    session.flush()
    _record(
        session,
        disclosure,
        "requested",
        actor=requester,
        now=now,
        details={
            "reason_category": category.value,
            "subject_user_id": subject.id,
            "notice_delayed": delay_until is not None,
            "case_id": basis.case_id,
            "referral_id": basis.referral_id,
        },
    )
    if not two_person_rule:
        _approve(
            session,
            disclosure=disclosure,
            decider=requester,
            now=now,
            view_minutes=view_minutes,
            two_person_rule=False,
        )
    return disclosure


def _get(session: Session, disclosure_id: int) -> Disclosure:
    disclosure = session.get(Disclosure, disclosure_id)
    if disclosure is None:
        raise NotFound(i18n._("There is no such disclosure request."))
    return disclosure


def _approve(
    session: Session,
    *,
    disclosure: Disclosure,
    decider: User,
    now: datetime,
    view_minutes: int,
    note: str = "",
    two_person_rule: bool = True,
) -> None:
    _decided(
        session,
        disclosure,
        DisclosureStatus.approved,
        decider=decider,
        now=now,
        note=note,
        details={"reason_category": disclosure.reason_category, "two_person_rule": two_person_rule},
        view_expires_at=now + timedelta(minutes=view_minutes),
    )
    queue_disclosure_notice(session, disclosure, now=now)


def _decided(
    session: Session,
    disclosure: Disclosure,
    status: DisclosureStatus,
    *,
    decider: User,
    now: datetime,
    note: str,
    details: Mapping[str, Any],
    view_expires_at: datetime | None = None,
) -> None:
    """Approve or refuse (``status``), as ``decider``, and audit it: one conditional update
    (``WHERE status = 'pending'``), so of two custodians deciding at once, exactly one does
    and the other is refused with nothing written (``kernel.rows.transition``)."""
    assert disclosure.id is not None, "a stored disclosure"
    transition(
        session,
        Disclosure,
        disclosure.id,
        when=[col(Disclosure.status) == DisclosureStatus.pending],
        values={
            "status": status,
            "decided_by_id": decider.id,
            "decided_at": now,
            "decision_note": note,
            "view_expires_at": view_expires_at,
        },
        refused=Conflict(i18n._("This request was decided a moment ago by another custodian.")),
    )
    _record(session, disclosure, status.value, actor=decider, now=now, details=details)


def decide(
    session: Session,
    *,
    disclosure_id: int,
    decider: User,
    decision: str | None,
    note: str | None,
    now: datetime,
    view_minutes: int = 30,
) -> Disclosure:
    """Approve or refuse a pending request; the requester may not decide their own."""
    _is_custodian(decider)
    disclosure = _get(session, disclosure_id)
    if disclosure.requested_by_id == decider.id:
        raise Forbidden(
            i18n._("A different custodian must decide on your request (two-person rule).")
        )
    if disclosure.status != DisclosureStatus.pending:
        raise Conflict(i18n._("This request has already been decided."))
    note = clean(note)[:1000]
    if decision == "approve":
        _approve(
            session,
            disclosure=disclosure,
            decider=decider,
            now=now,
            view_minutes=view_minutes,
            note=note,
        )
    elif decision == "refuse":
        if not note:
            raise FormInvalid(
                {"note": i18n._("Say why you refuse, for the requester and the record.")}
            )
        _decided(
            session,
            disclosure,
            DisclosureStatus.refused,
            decider=decider,
            now=now,
            note=note,
            details={"reason_category": disclosure.reason_category},
        )
    else:
        raise FormInvalid({"decision": i18n._("Choose to approve or to refuse.")})
    return disclosure


@dataclass(frozen=True)
class Revealed:
    disclosure_id: int
    attributes: list[tuple[str, str]]  # (label, value), only the minimum for the reason
    erased: bool


def reveal(session: Session, *, disclosure_id: int, viewer: User, now: datetime) -> Revealed:
    """Show the identity once to the custodian who asked, while the approval lasts."""
    _is_custodian(viewer)
    disclosure = _get(session, disclosure_id)
    if disclosure.requested_by_id != viewer.id:
        raise Forbidden(i18n._("Only the custodian who made the request may view the identity."))
    if disclosure.status == DisclosureStatus.viewed:
        raise Conflict(
            i18n._(
                "This identity has already been shown once. Make a new request if you need it "
                "again."
            )
        )
    if disclosure.status != DisclosureStatus.approved:
        raise Conflict(i18n._("This request has not been approved."))
    if disclosure.view_expires_at is None or now >= disclosure.view_expires_at:
        raise Conflict(i18n._("The time to view this identity has passed. Make a new request."))
    assert disclosure.id is not None, "read from the database"
    transition(
        session,
        Disclosure,
        disclosure.id,
        when=[col(Disclosure.status) == DisclosureStatus.approved],
        values={"status": DisclosureStatus.viewed, "viewed_at": now},
        refused=Conflict(i18n._("This identity has already been shown once.")),
    )
    fields = MINIMUM_ATTRIBUTES[DisclosureReason(disclosure.reason_category)]
    identity = (
        vault.identity_of(session, disclosure.subject_user_id)
        if disclosure.subject_user_id
        else None
    )
    attributes = []
    if identity is not None:
        values = identity.as_dict()
        attributes = [(ATTRIBUTE_LABELS[f], values[f] or "(not held)") for f in fields]
    _record(
        session,
        disclosure,
        "viewed",
        actor=viewer,
        now=now,
        details={
            "reason_category": disclosure.reason_category,
            "fields": list(fields),
            "erased": identity is None,
        },
    )
    return Revealed(disclosure_id=disclosure.id, attributes=attributes, erased=identity is None)


# For the moderation package (registered in app/moderation_setup.py) ---------------------------


def identity_for_referral(session: Session, *, user_id: int, case_id: int) -> dict[str, str] | None:
    """The minimum attributes for a police evidence bundle, and only when a custodian's request
    for a police referral about this person was approved. Recorded in the audit log."""
    approved = session.exec(
        select(Disclosure.id)
        .where(
            Disclosure.subject_user_id == user_id,
            Disclosure.reason_category == DisclosureReason.police_referral,
            col(Disclosure.status).in_([DisclosureStatus.approved, DisclosureStatus.viewed]),
        )
        .order_by(col(Disclosure.id).desc())
    ).first()
    if approved is None:
        return None
    identity = vault.identity_of(session, user_id)
    if identity is None:
        return None
    values = identity.as_dict()
    fields = MINIMUM_ATTRIBUTES[DisclosureReason.police_referral]
    audit.record(
        session,
        actor_id=None,
        action="disclosure.included_in_bundle",
        subject_type="disclosure",
        subject_id=approved,
        now=utcnow(),
        details={"case_id": case_id, "fields": list(fields)},
    )
    return {ATTRIBUTE_LABELS[f]: values[f] or "(not held)" for f in fields}
