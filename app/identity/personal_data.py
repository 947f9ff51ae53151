"""The person's own data: download everything Reclaim holds about them, or delete the account.

Deleting crypto-shreds the vault record (the wrapped data key is destroyed, so no backup can
be decrypted either), ends every session, and either keeps the person's contributions under
"Former participant" or removes them, as they choose; contributions under legal hold
(``held_contribution_ids``, a hook the moderation domain answers) are kept either way, and
the person is told how many.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from app.accounts import sessions as browser_sessions
from app.accounts.models import AccountStatus, User, UserSession
from app.audit import log as audit
from app.consultations.models import Consultation, Question
from app.identity import disclosure_views
from app.identity.models import OidcLogin
from app.identity.vault import service as vault
from app.participation.models import Contribution, PostState, Response
from kernel import hooks, i18n
from kernel.errors import Conflict, FormInvalid
from kernel.rows import transition
from moderation import evidence as moderation_evidence


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _record(
    session: Session,
    user: User,
    action: str,
    *,
    now: datetime,
    details: Mapping[str, Any] | None = None,
) -> None:
    """The audit entry of something the person did to their own account."""
    assert user.id is not None, "a stored account"
    audit.record(
        session,
        actor_id=user.id,
        action=f"account.{action}",
        subject_type="account",
        subject_id=user.id,
        now=now,
        details=details,
    )


def export(session: Session, *, user: User, now: datetime) -> dict[str, Any]:
    """Everything held about ``user``, identity included, as JSON-ready data (5 queries)."""
    assert user.id is not None, "a stored account"
    identity = vault.identity_of(session, user.id)
    sessions = session.exec(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(col(UserSession.created_at))
    ).all()
    responses = session.exec(
        select(Response, Consultation.slug)
        .join(Consultation, col(Consultation.id) == col(Response.consultation_id))
        .where(Response.respondent_id == user.id)
        .order_by(col(Response.created_at))
    ).all()
    contributions = session.exec(
        select(Contribution, Question.position, Consultation.slug)
        .join(Question, col(Question.id) == col(Contribution.question_id))
        .join(Consultation, col(Consultation.id) == col(Question.consultation_id))
        .where(Contribution.author_id == user.id)
        .order_by(col(Contribution.created_at))
    ).all()
    _record(session, user, "data_exported", now=now)
    return {
        "exported_at": now.isoformat(),
        "account": {
            "pseudonym": user.pseudonym,
            "roles": sorted(r.value for r in user.role_set),
            "status": user.status,
            "verification_level": user.verification_level,
            "created_at": _iso(user.created_at),
        },
        "identity": identity.as_dict() if identity else None,
        "sessions": [
            {
                "created_at": _iso(s.created_at),
                "last_seen_at": _iso(s.last_seen_at),
                "ended_at": _iso(s.revoked_at),
            }
            for s in sessions
        ],
        "responses": [
            {
                "consultation": slug,
                "channel": r.channel,
                "respondent_type": r.respondent_type,
                "organisation_name": r.organisation_name,
                "is_public": r.is_public,
                "created_at": _iso(r.created_at),
                "updated_at": _iso(r.updated_at),
            }
            for r, slug in responses
        ],
        "contributions": [
            {
                "id": c.id,
                "kind": c.kind,
                "consultation": slug,
                "question": position,
                "reply_to": c.parent_id,
                "stance": c.stance,
                "text": c.source_text,
                "state": c.state,
                "is_public": c.is_public,
                "created_at": _iso(c.created_at),
                "edited_at": _iso(c.edited_at),
            }
            for c, position, slug in contributions
        ],
        "identity_disclosures": [
            {"disclosed_at": _iso(d.disclosed_at), "reason": d.reason_label}
            for d in disclosure_views.own_disclosures(session, user=user, now=now)
        ],
    }


def _uncount_replies(session: Session, ids: list[int]) -> None:
    """Removed replies no longer count on their answers."""
    rows = session.exec(
        select(Contribution.parent_id, func.count())
        .where(
            col(Contribution.id).in_(ids),
            col(Contribution.parent_id).is_not(None),
            col(Contribution.state).in_([PostState.visible, PostState.removed]),
        )
        .group_by(col(Contribution.parent_id))
    ).all()
    for parent_id, n in rows:
        session.execute(
            update(Contribution)
            .where(col(Contribution.id) == parent_id)
            .values(reply_count=col(Contribution.reply_count) - n)
        )


@dataclass(frozen=True)
class Deleted:
    kept: int  # kept under "Former participant"
    removed: int
    held: int  # kept under legal hold


def held_contribution_ids(session: Session, contribution_ids: Sequence[int]) -> set[int]:
    """The subset of ``contribution_ids`` kept as evidence, as the site's hooks say."""
    ids = list(contribution_ids)
    if not ids:
        return set()
    held: set[int] = set()
    for answer in hooks.of(session).held_contribution_ids(session=session, contribution_ids=ids):
        held |= set(answer) & set(ids)
    return held


def delete_account(
    session: Session, *, user: User, contributions: str | None, confirmed: bool, now: datetime
) -> Deleted:
    """Delete ``user``'s account. ``contributions`` is "keep" or "remove"."""
    errors = {}
    if contributions not in ("keep", "remove"):
        errors["contributions"] = i18n._("Choose what happens to your answers and replies.")
    if not confirmed:
        errors["confirm"] = i18n._("Tick the box to confirm that you want to delete your account.")
    if errors:
        raise FormInvalid(errors)
    assert user.id is not None, "a stored account"
    # First, and only once: of two deletions sent at the same moment, the second waits here
    # for the first and is refused, instead of erasing and recording the account twice.
    transition(
        session,
        User,
        user.id,
        when=[col(User.status) != AccountStatus.deleted],
        values={
            "status": AccountStatus.deleted,
            "deleted_at": now,
            "pseudonym": f"former-participant-{user.id}",
            "roles": "",
        },
        refused=Conflict(i18n._("This account was deleted a moment ago.")),
    )
    rows = session.exec(select(Contribution.id).where(Contribution.author_id == user.id)).all()
    ids = [i for i in rows if i is not None]  # all of them: primary keys
    held = held_contribution_ids(session, ids)
    free = [i for i in ids if i not in held]
    if free and contributions == "remove":
        _uncount_replies(session, free)
        for post_id in free:  # a post in a closed case: its evidence records the deletion
            moderation_evidence.post_changed(session, post_id=post_id, deleted=True, now=now)
    if free:
        values: dict[str, Any] = {"author_id": None}
        if contributions == "remove":
            values.update(
                state=PostState.deleted, source_text="", html="", stance=None, updated_at=now
            )
        session.execute(update(Contribution).where(col(Contribution.id).in_(free)).values(**values))
    response_values: dict[str, Any] = {"respondent_id": None}
    if contributions == "remove":
        response_values["organisation_name"] = None
    session.execute(
        update(Response).where(col(Response.respondent_id) == user.id).values(**response_values)
    )
    vault.erase_identity(session, user_id=user.id, now=now)
    browser_sessions.end_all_sessions(session, user=user, now=now)
    session.execute(delete(OidcLogin).where(col(OidcLogin.user_id) == user.id))
    result = Deleted(
        kept=len(free) if contributions == "keep" else 0,
        removed=len(free) if contributions == "remove" else 0,
        held=len(held),
    )
    _record(
        session,
        user,
        "deleted",
        now=now,
        details={
            "contributions": contributions,
            "kept": result.kept,
            "removed": result.removed,
            "held": result.held,
        },
    )
    session.flush()
    return result
