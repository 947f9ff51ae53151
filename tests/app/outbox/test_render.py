"""Every kind of mail, rendered at delivery from its template and what its builder reads."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.accounts.models import Role
from app.analysis import outcome
from app.identity import disclosure
from app.identity.vault import service as vault
from app.outbox.contexts import BUILDERS, LABELS
from app.outbox.models import OutboxMessage
from app.outbox.queue import PRIORITY, Template
from app.outbox.render import TEMPLATES, NotSent
from kernel.clock import utcnow
from moderation import notices
from tests.factories import add_response, make_consultation, make_referral, make_user
from tests.support.outbox import render_row


def _rendered(session: Session, site, row: OutboxMessage):
    return render_row(session, site.settings, row)


def _only_message(session: Session) -> OutboxMessage:
    return session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


def test_every_kind_of_mail_has_a_template_a_builder_a_label_and_a_priority() -> None:
    for template in Template:
        assert (TEMPLATES / f"{template.value}.txt").is_file(), template
        assert template in BUILDERS and template in LABELS and template in PRIORITY


def test_a_moderation_notice_is_rendered_from_the_notice_with_a_link_to_all_notices(
    session: Session, site
) -> None:
    person = make_user(session, email="noticed@example.test")
    notices.notify(
        session,
        recipient_id=person.id,
        case_id=None,
        subject="We reviewed the post you reported",
        body="A moderator removed it. {{ not a template }} & <b>not markup</b>",
        now=utcnow(),
    )
    mail = _rendered(session, site, _only_message(session))
    assert mail.to == "noticed@example.test"
    assert mail.subject == "Reclaim: We reviewed the post you reported"
    assert "{{ not a template }} & <b>not markup</b>" in mail.body  # text, never run or escaped
    assert "http://testserver/notices" in mail.body
    assert mail.message_id.startswith("<") and mail.message_id.endswith("@reclaim.invalid>")


def test_an_outcome_notification_names_the_consultation_and_links_its_outcome(
    session: Session, site
) -> None:
    organiser = make_user(session, roles={Role.organiser})
    consultation = make_consultation(session, status="closed", questions=1)
    add_response(session, consultation, {}, respondent=make_user(session, email="r@example.test"))
    outcome.save_outcome(
        session, consultation=consultation, values={"what_we_changed": "Much."}, now=utcnow()
    )
    outcome.publish_outcome(session, consultation=consultation, organiser=organiser, now=utcnow())
    assert not outcome.queue_outcome_notifications(
        session, consultation_id=consultation.id, now=utcnow()
    )
    mail = _rendered(session, site, _only_message(session))
    assert mail.to == "r@example.test"
    assert mail.subject == f"Outcome published: {consultation.title}"
    assert f"http://testserver/consultations/{consultation.slug}/outcome" in mail.body


def test_a_disclosure_notice_waits_for_a_police_delay_and_says_when_and_why(
    session: Session, site
) -> None:
    first = make_user(session, roles={Role.custodian})
    second = make_user(session, roles={Role.custodian})
    subject = make_user(session, email="disclosed@example.test")
    now = utcnow()
    asked = disclosure.request_disclosure(
        session,
        requester=first,
        pseudonym=subject.pseudonym,
        reason_category="police_referral",
        reason="A police force asked for this in writing, reference 42.",
        notice_delay_days="28",
        now=now,
        referral=str(make_referral(session, subject).id),
    )
    disclosure.decide(
        session, disclosure_id=asked.id, decider=second, decision="approve", note="", now=now
    )
    row = _only_message(session)
    assert row.template == "disclosure_notice" and row.recipient_id == subject.id
    assert row.next_attempt_at >= now + timedelta(days=28) - timedelta(seconds=1)
    mail = _rendered(session, site, row)
    assert mail.to == "disclosed@example.test"
    assert "Police referral" in mail.body and first.pseudonym not in mail.body


def test_a_link_used_before_delivery_is_not_sent(session: Session, site) -> None:
    token_id = vault.issue_sign_in_link(
        session, email="quick@example.test", next_path="/", now=utcnow(), lifetime=timedelta(1)
    )
    row = OutboxMessage(
        message_id="x" * 32, template="sign_in_link", params={}, sign_in_token_id=token_id
    )
    raw = vault.pending_sign_in_link(session, token_id, now=utcnow()).token
    vault.consume_sign_in_token(session, raw, now=utcnow())
    assert isinstance(_rendered(session, site, row), NotSent)


def test_mail_to_an_erased_identity_is_not_sent(session: Session, site) -> None:
    person = make_user(session)
    vault.erase_identity(session, user_id=person.id, now=utcnow())
    row = OutboxMessage(
        message_id="y" * 32,
        template="moderation_notice",
        params={"notice_id": 1},
        recipient_id=person.id,
    )
    result = _rendered(session, site, row)
    assert isinstance(result, NotSent) and "no address" in result.reason
