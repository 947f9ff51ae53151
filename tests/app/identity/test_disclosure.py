"""Disclosure of an identity: two custodians, one view for a limited time, every step in the
hash-chained audit log; the person sees it on their account page; counts are public."""

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from app.accounts.models import Role, User
from app.audit import log as audit
from app.audit.models import AuditEntry
from app.identity import disclosure, disclosure_views
from app.identity.models import Disclosure
from app.identity.vault import service as vault
from kernel.clock import utcnow
from kernel.errors import Conflict, Forbidden, FormInvalid
from tests.factories import make_post, make_referral, make_report, make_user

REASON = "Threats of violence reported to the police, crime reference 12/3456/26."


@pytest.fixture
def people(session: Session):
    subject = make_user(session, pseudonym="Troublemaker", email="trouble@example.test")
    vault.record_verified_identity(
        session,
        user_id=subject.id,
        issuer="https://idp.test",
        subject="s-1",
        email=None,
        name="Tobias Quillfeather",
        birthdate="1980-05-06",
        level="identity",
        now=utcnow(),
    )
    first = make_user(session, roles={Role.custodian}, pseudonym="CustodianOne")
    second = make_user(session, roles={Role.custodian}, pseudonym="CustodianTwo")
    return subject, first, second


def _request(session, requester, *, category="police_referral", delay=None, rule=True):
    referral = None
    if category == "police_referral":
        subject = session.exec(select(User).where(User.pseudonym == "Troublemaker")).one()
        referral = str(make_referral(session, subject).id)
    return disclosure.request_disclosure(
        session,
        requester=requester,
        pseudonym="Troublemaker",
        reason_category=category,
        reason=REASON,
        notice_delay_days=delay,
        now=utcnow(),
        two_person_rule=rule,
        referral=referral,
    )


def test_request_approved_by_another_custodian_is_shown_once_with_audit_trail(
    session: Session, people
) -> None:
    _subject, first, second = people
    d = _request(session, first)
    assert d.status == "pending"
    with pytest.raises(Forbidden, match="different custodian"):
        disclosure.decide(
            session, disclosure_id=d.id, decider=first, decision="approve", note="", now=utcnow()
        )
    disclosure.decide(
        session,
        disclosure_id=d.id,
        decider=second,
        decision="approve",
        note="Reference checked.",
        now=utcnow(),
    )
    with pytest.raises(Forbidden, match="who made the request"):
        disclosure.reveal(session, disclosure_id=d.id, viewer=second, now=utcnow())
    shown = disclosure.reveal(session, disclosure_id=d.id, viewer=first, now=utcnow())
    assert dict(shown.attributes) == {
        "Verified name": "Tobias Quillfeather",
        "Date of birth": "1980-05-06",
        "E-mail address": "trouble@example.test",
    }
    with pytest.raises(Conflict, match="already been shown"):
        disclosure.reveal(session, disclosure_id=d.id, viewer=first, now=utcnow())
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "disclosure").order_by(AuditEntry.seq)
    ).all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("disclosure.requested", first.id),
        ("disclosure.approved", second.id),
        ("disclosure.viewed", first.id),
    ]
    text = " ".join(str(e.details) for e in entries)
    assert "Tobias" not in text and "trouble@" not in text and "crime reference" not in text
    assert audit.verify(session) is None


def test_tampering_with_a_disclosure_entry_breaks_the_chain(session: Session, people) -> None:
    _subject, first, second = people
    d = _request(session, first)
    disclosure.decide(
        session, disclosure_id=d.id, decider=second, decision="approve", note="", now=utcnow()
    )
    approved = session.exec(
        select(AuditEntry).where(AuditEntry.action == "disclosure.approved")
    ).one()
    session.execute(
        update(AuditEntry).where(AuditEntry.seq == approved.seq).values(actor_id=first.id)
    )  # pretend the requester approved it
    session.expire_all()
    broken = audit.verify(session)
    assert broken is not None and broken.seq == approved.seq


def test_only_the_minimum_for_the_reason_is_shown(session: Session, people) -> None:
    _subject, first, second = people
    d = _request(session, first, category="own_request")
    disclosure.decide(
        session, disclosure_id=d.id, decider=second, decision="approve", note="", now=utcnow()
    )
    shown = disclosure.reveal(session, disclosure_id=d.id, viewer=first, now=utcnow())
    assert shown.attributes == [("E-mail address", "trouble@example.test")]


def test_view_after_the_time_limit_is_refused(session: Session, people) -> None:
    _subject, first, second = people
    d = _request(session, first)
    disclosure.decide(
        session,
        disclosure_id=d.id,
        decider=second,
        decision="approve",
        note="",
        now=utcnow(),
        view_minutes=30,
    )
    with pytest.raises(Conflict, match="time to view"):
        disclosure.reveal(
            session, disclosure_id=d.id, viewer=first, now=utcnow() + timedelta(minutes=31)
        )


def test_refusal_needs_a_note_and_then_nothing_can_be_viewed(session: Session, people) -> None:
    _subject, first, second = people
    d = _request(session, first)
    with pytest.raises(FormInvalid):
        disclosure.decide(
            session, disclosure_id=d.id, decider=second, decision="refuse", note=" ", now=utcnow()
        )
    disclosure.decide(
        session,
        disclosure_id=d.id,
        decider=second,
        decision="refuse",
        note="No crime reference was given.",
        now=utcnow(),
    )
    with pytest.raises(Conflict):
        disclosure.reveal(session, disclosure_id=d.id, viewer=first, now=utcnow())
    assert (
        session.exec(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first()
        == "disclosure.refused"
    )


def test_without_the_two_person_rule_the_request_is_approved_at_once(
    session: Session, people
) -> None:
    _subject, first, _ = people
    d = _request(session, first, rule=False)
    assert d.status == "approved" and d.decided_by_id == first.id
    approved = session.exec(
        select(AuditEntry).where(AuditEntry.action == "disclosure.approved")
    ).one()
    assert approved.details["two_person_rule"] is False


def test_request_form_errors_are_per_field(session: Session, people) -> None:
    _, first, _ = people
    with pytest.raises(FormInvalid) as error:
        disclosure.request_disclosure(
            session,
            requester=first,
            pseudonym="NoSuchPerson",
            reason_category="curiosity",
            reason="short",
            notice_delay_days="abc",
            now=utcnow(),
        )
    assert set(error.value.errors) == {
        "pseudonym",
        "reason_category",
        "reason",
        "notice_delay_days",
    }


def test_person_sees_disclosures_unless_the_police_asked_for_delay(
    session: Session, people
) -> None:
    subject, first, second = people
    delayed = _request(session, first, delay="30")
    plain = _request(session, first, category="court_order")
    for d in (delayed, plain):
        disclosure.decide(
            session, disclosure_id=d.id, decider=second, decision="approve", note="", now=utcnow()
        )
    seen = disclosure_views.own_disclosures(session, user=subject, now=utcnow())
    assert [d.reason_label for d in seen] == ["Court order"]
    later = disclosure_views.own_disclosures(
        session, user=subject, now=utcnow() + timedelta(days=31)
    )
    assert sorted(d.reason_label for d in later) == ["Court order", "Police referral"]


def test_transparency_counts_by_reason(session: Session, people) -> None:
    _subject, first, second = people
    for category, decision in [
        ("police_referral", "approve"),
        ("police_referral", "refuse"),
        ("court_order", "approve"),
    ]:
        d = _request(session, first, category=category)
        disclosure.decide(
            session,
            disclosure_id=d.id,
            decider=second,
            decision=decision,
            note="Checked.",
            now=utcnow(),
        )
    _request(session, first, category="banned_person")
    figures = {
        f.reason_label: (f.requested, f.approved, f.refused)
        for f in disclosure_views.transparency_figures(session)
    }
    assert figures == {
        "Police referral": (2, 1, 1),
        "Court order": (1, 1, 0),
        "Exclusion of a banned person": (1, 0, 0),
        "The person's own request": (0, 0, 0),
    }


def test_disclosure_of_an_erased_identity_shows_nothing(session: Session, people) -> None:
    subject, first, second = people
    d = _request(session, first)
    disclosure.decide(
        session, disclosure_id=d.id, decider=second, decision="approve", note="", now=utcnow()
    )
    vault.erase_identity(session, user_id=subject.id, now=utcnow())
    shown = disclosure.reveal(session, disclosure_id=d.id, viewer=first, now=utcnow())
    assert shown.erased and shown.attributes == []
    assert session.get(Disclosure, d.id).status == "viewed"


def test_a_police_referral_request_must_name_a_referral_about_that_participant(
    session: Session, people
) -> None:
    subject, first, _second = people
    asked = {
        "requester": first,
        "pseudonym": "troublemaker",
        "reason_category": "police_referral",
        "reason": REASON,
        "notice_delay_days": None,
        "now": utcnow(),
    }
    with pytest.raises(FormInvalid) as missing:
        disclosure.request_disclosure(session, **asked)
    assert "number of the police referral" in missing.value.errors["referral"]
    with pytest.raises(FormInvalid) as unknown:
        disclosure.request_disclosure(session, **asked, referral="999999")
    assert "no police referral" in unknown.value.errors["referral"]
    someone_else = make_referral(session, make_user(session))
    with pytest.raises(FormInvalid) as other:
        disclosure.request_disclosure(session, **asked, referral=str(someone_else.id))
    assert "another participant" in other.value.errors["referral"]
    referral = make_referral(session, subject)
    made = disclosure.request_disclosure(session, **asked, referral=f"Referral {referral.id}")
    assert made.referral_id == referral.id and made.case_id == referral.case_id
    page = disclosure_views.get_disclosure(session, made.id)
    assert page.referral_id == referral.id


def test_a_request_may_name_the_case_it_concerns_but_not_one_about_someone_else(
    session: Session, people
) -> None:
    subject, first, _second = people
    own_case = make_report(session, make_post(session, author=subject)).case_id
    other_case = make_report(session, make_post(session)).case_id
    asked = {
        "requester": first,
        "pseudonym": "Troublemaker",
        "reason_category": "banned_person",
        "reason": REASON,
        "notice_delay_days": None,
        "now": utcnow(),
    }
    with pytest.raises(FormInvalid) as other:
        disclosure.request_disclosure(session, **asked, case=str(other_case))
    assert "another participant" in other.value.errors["case"]
    made = disclosure.request_disclosure(session, **asked, case=f"#{own_case}")
    assert made.case_id == own_case and made.referral_id is None
