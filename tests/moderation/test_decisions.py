"""Deciding: reasons required, conflicts of interest, claims, stale versions, notices,
sanctions, exclusion that survives account deletion, the audit log."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.accounts import users
from app.accounts.models import User
from app.audit import log as audit
from app.audit.models import AuditEntry
from app.participation.models import Contribution, PostState
from kernel.clock import utcnow
from kernel.errors import Forbidden, FormInvalid
from moderation import decisions, queue, reporting
from moderation.errors import ClaimedByOther, ConflictOfInterest, StaleCase
from moderation.models import Decision, ModerationCase, Notice, Report
from tests.factories import make_moderator, make_post, make_user

REASONS = (
    "The post tells a named participant that they will be hurt at the next meeting, "
    "which is a threat of violence."
)


def _case(session, *, reason="threat", reporter=None):
    author = make_user(session, email=f"author{utcnow().timestamp()}@example.test")
    post = make_post(session, author=author)
    reporter = reporter or make_user(session)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=reporter.id,
        reason=reason,
        about_me=True,
        note="",
        now=utcnow(),
    )
    return session.get(ModerationCase, report.case_id), post, author, reporter


def _decide(session, case, moderator, **kwargs):
    args = {"action": "remove", "basis": "threat", "statement": REASONS, "version": case.version}
    args.update(kwargs)
    return decisions.decide(
        session, case_id=case.id, moderator_id=moderator.id, now=utcnow(), **args
    )


def test_removal_hides_post_and_tells_reporter_and_author(session: Session, mod, outbox) -> None:
    case, post, author, reporter = _case(session)
    decision = _decide(session, case, make_moderator(session))
    session.refresh(post)
    session.refresh(case)
    assert post.state == PostState.removed and case.state == "decided"
    assert decision.basis_kind == "law" and decision.case_version == case.version - 1
    assert session.exec(select(Report.outcome).where(Report.case_id == case.id)).one() == "upheld"
    to = {n.recipient_id: n for n in session.exec(select(Notice).where(Notice.case_id == case.id))}
    assert REASONS in to[reporter.id].body and "police" in to[reporter.id].body
    assert "appeal" in to[author.id].body.lower() and REASONS in to[author.id].body
    subjects = [m.subject for m in outbox.messages]
    assert any("Outcome of your report" in s for s in subjects)
    assert any("decided about your post" in s for s in subjects)


def test_the_author_is_told_which_post_with_a_quotation_and_a_link(
    session: Session, mod, outbox
) -> None:
    case, post, author, _reporter = _case(session)
    _decide(session, case, make_moderator(session))
    body = session.exec(
        select(Notice.body).where(Notice.case_id == case.id, Notice.recipient_id == author.id)
    ).one()
    assert body.startswith("A moderator reviewed your answer to question 1 of “Consultation ")
    assert f"“{post.source_text}”" in body  # the words it said
    assert f"/answers/{post.id}" in body  # and where it was
    # Read on the notices page or in an e-mail, it says where to appeal, not "open your notices".
    assert "open your notices" not in body and "“Decisions you can appeal”" in body
    mail = next(m for m in outbox.messages if "decided about your post" in m.subject)
    assert f"http://testserver/answers/{post.id}" in mail.body


def test_dismissal_tells_reporter_no_action_with_reasons(session: Session, mod) -> None:
    case, post, _, reporter = _case(session, reason="spam")
    statement = "The post argues against the proposal in strong but fair terms; it is not spam."
    _decide(
        session, case, make_moderator(session), action="dismiss", basis=None, statement=statement
    )
    notice = session.exec(select(Notice).where(Notice.recipient_id == reporter.id)).one()
    assert "Dismiss the report" in notice.body and statement in notice.body
    session.refresh(post)
    assert post.state == PostState.visible


def test_unchanged_template_is_refused_as_a_statement(session: Session, mod) -> None:
    case, *_ = _case(session)
    with pytest.raises(FormInvalid) as refused:
        _decide(
            session,
            case,
            make_moderator(session),
            statement=decisions.TEMPLATES["general"] + "it is bad.",
        )
    assert "statement" in refused.value.errors


def test_police_referral_needs_a_legal_basis(session: Session, mod) -> None:
    case, *_ = _case(session, reason="spam")
    with pytest.raises(FormInvalid) as refused:
        _decide(session, case, make_moderator(session), action="refer_police", basis="spam")
    assert "legal" in refused.value.errors["basis"]


def test_moderator_cannot_decide_a_case_they_reported_or_wrote(session: Session, mod) -> None:
    moderator = make_moderator(session)
    case, *_ = _case(session, reporter=moderator)
    with pytest.raises(ConflictOfInterest):
        _decide(session, case, moderator)
    author_mod = make_moderator(session)
    post = make_post(session, author=author_mod)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=make_user(session).id,
        reason="spam",
        about_me=False,
        note="",
        now=utcnow(),
    )
    with pytest.raises(ConflictOfInterest):
        _decide(session, session.get(ModerationCase, report.case_id), author_mod)


def test_decision_on_an_old_version_is_refused_and_nothing_is_applied(
    session: Session, mod
) -> None:
    case, post, _, _ = _case(session)
    seen = case.version
    reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=make_user(session).id,
        reason="threat",
        about_me=False,
        note="",
        now=utcnow(),
    )
    with pytest.raises(StaleCase) as refused:
        _decide(session, case, make_moderator(session), version=seen)
    assert "changed since you opened it" in refused.value.message
    assert session.exec(select(Decision).where(Decision.case_id == case.id)).first() is None


def test_second_decision_on_the_same_version_is_refused(session: Session, mod) -> None:
    case, *_ = _case(session)
    version = case.version
    _decide(session, case, make_moderator(session), version=version)
    with pytest.raises(StaleCase):
        _decide(session, case, make_moderator(session), version=version)
    assert len(session.exec(select(Decision).where(Decision.case_id == case.id)).all()) == 1


def test_claimed_case_cannot_be_decided_by_another_until_the_claim_expires(
    session: Session, mod
) -> None:
    case, *_ = _case(session)
    first, second = make_moderator(session), make_moderator(session)
    queue.claim(session, case_id=case.id, moderator_id=first.id, now=utcnow())
    with pytest.raises(ClaimedByOther):
        queue.claim(session, case_id=case.id, moderator_id=second.id, now=utcnow())
    with pytest.raises(ClaimedByOther):
        _decide(session, case, second)
    later = utcnow() + mod.claim_duration + timedelta(minutes=1)
    queue.claim(session, case_id=case.id, moderator_id=second.id, now=later)


def test_suspension_stops_the_author_posting(session: Session, mod) -> None:
    case, _, author, _ = _case(session)
    _decide(session, case, make_moderator(session), action="suspend", suspend_days="7")
    session.refresh(author)
    assert author.status == "suspended" and author.suspended_until > utcnow()


def test_exclusion_survives_account_deletion(session: Session, mod) -> None:
    _, _, author, _ = _case(session)
    email = f"banned{author.id}@example.test"
    banned = make_user(session, email=email)
    post = make_post(session, author=banned)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=make_user(session).id,
        reason="threat",
        about_me=False,
        note="",
        now=utcnow(),
    )
    _decide(
        session,
        session.get(ModerationCase, report.case_id),
        make_moderator(session),
        action="exclude",
        remove_post="yes",
    )
    session.refresh(banned)
    assert banned.status == "excluded"
    # The account is deleted outright (its identity record loses the link to the account).
    _delete_account(session, banned)
    with pytest.raises(Forbidden):
        users.create_user(
            session, email=email.upper(), pseudonym="ComeBack1", roles=set(), now=utcnow()
        )


def _delete_account(session: Session, user: User) -> None:
    from app.identity.vault.models import IdentityRecord
    from app.participation.models import Response

    record = session.exec(select(IdentityRecord).where(IdentityRecord.user_id == user.id)).one()
    session.delete(record)
    for contribution in session.exec(select(Contribution).where(Contribution.author_id == user.id)):
        session.delete(contribution)
    session.flush()
    for response in session.exec(select(Response).where(Response.respondent_id == user.id)):
        session.delete(response)
    session.flush()
    session.delete(user)
    session.flush()


def test_every_moderator_action_is_in_the_audit_chain(session: Session, mod) -> None:
    case, *_ = _case(session)
    moderator = make_moderator(session)
    queue.claim(session, case_id=case.id, moderator_id=moderator.id, now=utcnow())
    _decide(session, case, moderator)
    actions = session.exec(
        select(AuditEntry.action).where(
            AuditEntry.subject_id == str(case.id), AuditEntry.actor_id == moderator.id
        )
    ).all()
    assert "moderation.claim" in actions and "moderation.decide.remove" in actions
    assert audit.verify(session) is None
