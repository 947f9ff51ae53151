"""Appeals: once per decision, in time, by the author or a reporter, decided by someone else."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.participation.models import PostState
from kernel.clock import utcnow
from kernel.errors import Forbidden
from moderation import appeals, decisions, reporting
from moderation.errors import AlreadyAppealed, AppealWindowClosed, ConflictOfInterest
from moderation.models import ModerationCase, Notice
from tests.factories import make_moderator, make_post, make_user

STATEMENT = (
    "The post calls the named participant a liar and tells them to leave the town, "
    "which goes beyond debate into targeting."
)
WHY = "I was arguing about the policy, not about any person; please read the whole thread."


def _decided(session, action="remove"):
    author, reporter, moderator = make_user(session), make_user(session), make_moderator(session)
    post = make_post(session, author=author)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=reporter.id,
        reason="targeting",
        about_me=True,
        note="",
        now=utcnow(),
    )
    case = session.get(ModerationCase, report.case_id)
    decision = decisions.decide(
        session,
        case_id=case.id,
        moderator_id=moderator.id,
        version=case.version,
        action=action,
        basis="targeting" if action != "dismiss" else None,
        statement=STATEMENT,
        now=utcnow(),
    )
    return decision, case, post, author, reporter, moderator


def test_author_appeal_upheld_by_another_moderator_restores_the_post(session: Session, mod) -> None:
    decision, case, post, author, _, original = _decided(session)
    appeal = appeals.lodge_appeal(
        session, decision_id=decision.id, appellant_id=author.id, reason=WHY, now=utcnow()
    )
    session.refresh(case)
    assert case.state == "appealed" and appeal.appellant_role == "author"
    with pytest.raises(ConflictOfInterest):
        appeals.decide_appeal(
            session,
            appeal_id=appeal.id,
            moderator_id=original.id,
            version=case.version,
            upheld=True,
            statement=STATEMENT,
            now=utcnow(),
        )
    reviewer = make_moderator(session)
    statement = (
        "Read in the context of the thread, the remark is about the policy's author "
        "in public office and is fair comment, so the removal was wrong."
    )
    appeals.decide_appeal(
        session,
        appeal_id=appeal.id,
        moderator_id=reviewer.id,
        version=case.version,
        upheld=True,
        statement=statement,
        now=utcnow(),
    )
    session.refresh(post)
    session.refresh(case)
    assert post.state == PostState.visible and case.state == "closed"
    told = session.exec(
        select(Notice).where(
            Notice.recipient_id == author.id, Notice.subject == "The outcome of your appeal"
        )
    ).one()
    assert statement in told.body and "upheld" in told.body


def test_a_decision_can_be_appealed_only_once(session: Session, mod) -> None:
    decision, _, _, author, _, _ = _decided(session)
    appeals.lodge_appeal(
        session, decision_id=decision.id, appellant_id=author.id, reason=WHY, now=utcnow()
    )
    with pytest.raises(AlreadyAppealed):
        appeals.lodge_appeal(
            session, decision_id=decision.id, appellant_id=author.id, reason=WHY, now=utcnow()
        )


def test_appeal_after_the_window_is_refused(session: Session, mod) -> None:
    decision, _, _, author, _, _ = _decided(session)
    late = utcnow() + mod.appeal_window + timedelta(days=1)
    with pytest.raises(AppealWindowClosed):
        appeals.lodge_appeal(
            session, decision_id=decision.id, appellant_id=author.id, reason=WHY, now=late
        )


def test_reporter_can_appeal_a_dismissal_but_not_a_removal(session: Session, mod) -> None:
    dismissed, case, post, _, reporter, _ = _decided(session, action="dismiss")
    appeal = appeals.lodge_appeal(
        session, decision_id=dismissed.id, appellant_id=reporter.id, reason=WHY, now=utcnow()
    )
    assert appeal.appellant_role == "reporter"
    session.refresh(case)
    appeals.decide_appeal(
        session,
        appeal_id=appeal.id,
        moderator_id=make_moderator(session).id,
        version=case.version,
        upheld=True,
        statement=STATEMENT,
        now=utcnow(),
    )
    session.refresh(post)
    assert post.state == PostState.removed
    removed, _, _, _, other_reporter, _ = _decided(session)
    with pytest.raises(Forbidden):
        appeals.lodge_appeal(
            session,
            decision_id=removed.id,
            appellant_id=other_reporter.id,
            reason=WHY,
            now=utcnow(),
        )
