"""What time does to cases: decided cases close once nobody can appeal any more, and claims
that ran out are cleared; neither overrides what a person did a moment before."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.audit.models import AuditEntry
from kernel.clock import utcnow
from moderation import appeals, housekeeping
from moderation.models import ModerationCase
from tests.factories import make_consultation, make_moderator
from tests.moderation.test_appeals import WHY, _decided
from tests.moderation.test_queue import case


def test_a_decided_case_closes_when_its_appeal_window_has_passed(session: Session, mod) -> None:
    _decision, case, *_ = _decided(session)
    within = utcnow() + mod.appeal_window - timedelta(hours=1)
    assert housekeeping.close_after_appeal_window(session, now=within) == 0
    after = utcnow() + mod.appeal_window + timedelta(minutes=1)
    assert housekeeping.close_after_appeal_window(session, now=after) == 1
    session.refresh(case)
    assert case.state == "closed"
    entry = session.exec(
        select(AuditEntry).where(
            AuditEntry.action == "moderation.close", AuditEntry.subject_id == str(case.id)
        )
    ).one()
    assert entry.actor_id is None and entry.details["reason"] == "appeal_window_passed"
    assert housekeeping.close_after_appeal_window(session, now=after) == 0  # once


def test_an_appealed_case_is_not_closed_by_the_window(session: Session, mod) -> None:
    decision, case, _post, author, *_ = _decided(session)
    appeals.lodge_appeal(
        session, decision_id=decision.id, appellant_id=author.id, reason=WHY, now=utcnow()
    )
    after = utcnow() + mod.appeal_window + timedelta(days=1)
    assert housekeeping.close_after_appeal_window(session, now=after) == 0
    session.refresh(case)
    assert case.state == "appealed"


def test_closing_is_done_in_batches(session: Session, mod) -> None:
    cases = [_decided(session)[1] for _ in range(3)]
    after = utcnow() + mod.appeal_window + timedelta(days=1)
    assert housekeeping.close_after_appeal_window(session, now=after, limit=2) == 2
    assert housekeeping.close_after_appeal_window(session, now=after, limit=2) == 1
    for closed in cases:
        session.refresh(closed)
    assert {c.state for c in cases} == {"closed"}


def test_expired_claims_are_cleared_and_running_ones_kept(session: Session, mod) -> None:
    consultation = make_consultation(session, questions=1)
    first, second = make_moderator(session), make_moderator(session)
    now = utcnow()
    stale = case(session, consultation)
    fresh = case(session, consultation)
    stale.claimed_by, stale.claim_expires_at = first.id, now - timedelta(minutes=1)
    fresh.claimed_by, fresh.claim_expires_at = second.id, now + mod.claim_duration
    session.add_all([stale, fresh])
    session.flush()
    assert housekeeping.clear_expired_claims(session, now=now) == 1
    session.expire_all()
    assert session.get(ModerationCase, stale.id).claimed_by is None
    assert session.get(ModerationCase, fresh.id).claimed_by == second.id
    assert session.get(ModerationCase, fresh.id).version == fresh.version  # not a change
