"""What happens to cases with time, run by the site's scheduler (``app.outbox.scheduler``):
decided cases close when nobody appealed within the appeal window, and moderators' claims
that have run out are cleared.

Both are conditional updates: a case closes only if it is still ``decided`` at the version
read (an appeal lodged at the same moment wins), and a claim is cleared only if it is still
the expired one (a moderator claiming it again at the same moment keeps the new claim).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from moderation import hooks
from moderation.cases import move_case
from moderation.models import CASE_TABLE, ModerationCase
from moderation.states import AppealWindowPassed, CaseState, next_state


def close_after_appeal_window(session: Session, *, now: datetime, limit: int = 500) -> int:
    """Close up to ``limit`` decided cases whose appeal window has passed; returns how many.
    Each closure is in the audit log (no moderator: the window closed it)."""
    window = hooks.settings(session).appeal_window
    due = session.exec(
        select(ModerationCase.id, ModerationCase.version)
        .where(
            col(ModerationCase.state) == CaseState.decided,
            col(ModerationCase.decided_at) < now - window,
        )
        .order_by(col(ModerationCase.decided_at), col(ModerationCase.id))
        .limit(limit)
    ).all()
    target = next_state(CaseState.decided, AppealWindowPassed())
    closed = 0
    for case_id, version in due:
        assert case_id is not None, "read from the database"
        if not move_case(
            session, case_id=case_id, version=version, state=target, only_from=CaseState.decided
        ):
            continue  # appealed or reopened a moment ago
        hooks.audit(
            session,
            actor_id=None,
            action="moderation.close",
            subject_type="case",
            subject_id=case_id,
            details={"reason": "appeal_window_passed"},
            now=now,
        )
        closed += 1
    return closed


def clear_expired_claims(session: Session, *, now: datetime) -> int:
    """Clear claims that have run out (they already lapse on their own; this keeps the queue
    from showing stale names). Returns how many."""
    mc = CASE_TABLE
    cleared = session.exec(
        update(mc)
        .where(mc.c.claim_expires_at.is_not(None), mc.c.claim_expires_at <= now)
        .values(claimed_by=None, claim_expires_at=None)
    )
    return cleared.rowcount
