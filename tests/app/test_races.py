"""Two people making the same change at the same moment, truly in parallel (two threads, two
connections, a barrier), 100 rounds on SQLite and on PostgreSQL: exactly one wins, the other is
refused with a 409 and writes nothing, and the audit log agrees with the tables."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import Session, col, func, select

from app.accounts.models import Role
from app.audit import log as audit
from app.audit.models import AuditEntry
from app.consultations import catalogue
from app.identity import disclosure
from app.identity.models import Disclosure, DisclosureStatus
from app.participation import commands
from app.participation.models import Contribution, Response
from kernel.clock import utcnow
from kernel.errors import Conflict
from tests.factories import make_consultation, make_referral, make_user
from tests.support.races import ROUNDS, fresh_site, race

REASON = "Threats of violence against a named person, reported to the police on 3 March."


@pytest.fixture
def site(backend: str, tmp_path, request: pytest.FixtureRequest):
    with fresh_site(backend, tmp_path, lambda: request.getfixturevalue("postgres_url")) as s:
        yield s


def _is_refusal(outcome: object) -> bool:
    return isinstance(outcome, Conflict) and outcome.status_code == 409


def _pending_disclosures(site, rounds: int) -> tuple[list[int], int, int]:
    with site.transaction() as s:
        requester = make_user(s, roles={Role.custodian})
        first = make_user(s, roles={Role.custodian})
        second = make_user(s, roles={Role.custodian})
        subject = make_user(s)
        referral = str(make_referral(s, subject).id)
        ids = [
            disclosure.request_disclosure(
                s,
                requester=requester,
                pseudonym=subject.pseudonym,
                reason_category="police_referral",
                reason=REASON,
                notice_delay_days=None,
                now=utcnow(),
                referral=referral,
            ).id
            for _ in range(rounds)
        ]
        return ids, first.id, second.id


def _decide(disclosure_id: int, custodian_id: int, decision: str):
    def act(s: Session) -> str:
        disclosure.decide(
            s,
            disclosure_id=disclosure_id,
            decider=s.get(disclosure.User, custodian_id),
            decision=decision,
            note="Checked against the police's request reference.",
            now=utcnow(),
        )
        return decision

    return act


def _audit_agrees(site, ids: list[int]) -> Counter[str]:
    """One decision entry per disclosure, the same as its stored status; the chain intact."""
    with site.transaction() as s:
        statuses = dict(
            s.exec(
                select(Disclosure.id, Disclosure.status).where(col(Disclosure.id).in_(ids))
            ).all()
        )
        entries = s.exec(
            select(AuditEntry.subject_id, AuditEntry.action).where(
                col(AuditEntry.action).in_(["disclosure.approved", "disclosure.refused"])
            )
        ).all()
        assert audit.verify(s) is None
    decided = Counter(subject for subject, _ in entries)
    assert all(decided[str(i)] == 1 for i in ids), decided
    for subject, action in entries:
        assert action == f"disclosure.{statuses[int(subject)]}"
    return Counter(statuses.values())


def test_two_custodians_approving_at_once_approve_once(site) -> None:
    ids, first, second = _pending_disclosures(site, ROUNDS)
    for disclosure_id in ids:
        outcomes = race(
            site,
            _decide(disclosure_id, first, "approve"),
            _decide(disclosure_id, second, "approve"),
        )
        assert sorted(map(_is_refusal, outcomes)) == [False, True], outcomes
        assert "approve" in outcomes
    assert _audit_agrees(site, ids) == {DisclosureStatus.approved: ROUNDS}


def test_approve_against_refuse_leaves_status_and_audit_log_agreeing(site) -> None:
    ids, first, second = _pending_disclosures(site, ROUNDS)
    winners = Counter()
    for disclosure_id in ids:
        outcomes = race(
            site,
            _decide(disclosure_id, first, "approve"),
            _decide(disclosure_id, second, "refuse"),
        )
        assert sorted(map(_is_refusal, outcomes)) == [False, True], outcomes
        winners.update(o for o in outcomes if isinstance(o, str))
    counts = _audit_agrees(site, ids)
    assert counts[DisclosureStatus.approved] == winners["approve"]
    assert counts[DisclosureStatus.refused] == winners["refuse"]


def _answer(consultation_id: int, author_id: int, number: int, text: str):
    def act(s: Session) -> int:
        consultation = s.get(commands.Consultation, consultation_id)
        return commands.submit_answer(
            s,
            consultation=consultation,
            question=catalogue.get_question(s, consultation, number),
            author=s.get(commands.User, author_id),
            stance="agree",
            text=text,
            publish=True,
            now=utcnow(),
        ).id

    return act


def _citizens(site, rounds: int) -> tuple[int, list[int]]:
    with site.transaction() as s:
        consultation = make_consultation(s, questions=2)
        return consultation.id, [make_user(s).id for _ in range(rounds)]


def test_a_first_answer_sent_twice_at_once_is_stored_once_and_refused_once(site) -> None:
    consultation_id, authors = _citizens(site, ROUNDS)
    refusals = 0
    for author in authors:
        outcomes = race(
            site,
            _answer(consultation_id, author, 1, "My first answer, sent by a double click."),
            _answer(consultation_id, author, 1, "My first answer, sent by a double click."),
        )
        # Both overlapped: one is stored and the other refused. The second began after the
        # first committed: it is an edit of the answer now there (the same text, saved again).
        stored = [o for o in outcomes if isinstance(o, int)]
        refused = [o for o in outcomes if _is_refusal(o)]
        assert len(stored) + len(refused) == 2 and stored and len(set(stored)) == 1, outcomes
        assert all("sent twice" in r.message for r in refused)
        refusals += len(refused)
    with site.transaction() as s:
        per_author = s.exec(
            select(Contribution.author_id, func.count()).group_by(Contribution.author_id)
        ).all()
        responses = s.exec(select(func.count()).select_from(Response)).one()
    assert sorted(n for _, n in per_author) == [1] * ROUNDS
    assert responses == ROUNDS
    print(f"{refusals} of {ROUNDS} double submissions overlapped and were refused")
    assert refusals > 0, "the two submissions never overlapped: the test raced nothing"


def test_two_first_answers_to_different_questions_at_once_share_one_response(site) -> None:
    consultation_id, authors = _citizens(site, ROUNDS)
    for author in authors:
        outcomes = race(
            site,
            _answer(consultation_id, author, 1, "An answer to the first question, in one tab."),
            _answer(consultation_id, author, 2, "An answer to the second question, in another."),
        )
        assert all(isinstance(o, int) for o in outcomes), outcomes
    with site.transaction() as s:
        rows = s.exec(
            select(Response.respondent_id, func.count(col(Contribution.id)))
            .join(Contribution, col(Contribution.response_id) == col(Response.id))
            .group_by(Response.respondent_id)
        ).all()
    assert len(rows) == ROUNDS and all(n == 2 for _, n in rows)


EXTRA_ROUNDS = 20  # the class beyond the four races: fewer rounds keep the run short


def test_two_organisers_publishing_or_closing_at_once_do_it_once(site) -> None:
    from app.consultations import organising
    from app.consultations.models import Consultation

    with site.transaction() as s:
        organisers = [make_user(s, roles={Role.organiser}).id for _ in range(2)]
        drafts = [make_consultation(s, is_published=False).id for _ in range(EXTRA_ROUNDS)]
        opened = [make_consultation(s).id for _ in range(EXTRA_ROUNDS)]

    def act(command, consultation_id: int, organiser_id: int):
        def run(s: Session) -> str:
            command(
                s,
                consultation=s.get(Consultation, consultation_id),
                organiser=s.get(commands.User, organiser_id),
                now=utcnow(),
            )
            return "done"

        return run

    for command, ids, action in (
        (organising.publish, drafts, "consultation.publish"),
        (organising.close_early, opened, "consultation.close_early"),
    ):
        for consultation_id in ids:
            outcomes = race(
                site,
                act(command, consultation_id, organisers[0]),
                act(command, consultation_id, organisers[1]),
            )
            assert sorted(map(_is_refusal, outcomes)) == [False, True], outcomes
        with site.transaction() as s:
            audited = Counter(
                s.exec(select(AuditEntry.subject_id).where(AuditEntry.action == action)).all()
            )
        assert audited == Counter({str(i): 1 for i in ids})


def test_an_account_deleted_twice_at_once_is_deleted_and_recorded_once(site) -> None:
    from app.accounts.models import AccountStatus, User
    from app.identity import personal_data

    with site.transaction() as s:
        people = [make_user(s).id for _ in range(EXTRA_ROUNDS)]

    def delete(user_id: int):
        def run(s: Session) -> str:
            personal_data.delete_account(
                s,
                user=s.get(User, user_id),
                contributions="keep",
                confirmed=True,
                now=utcnow(),
            )
            return "deleted"

        return run

    for user_id in people:
        outcomes = race(site, delete(user_id), delete(user_id))
        assert sorted(map(_is_refusal, outcomes)) == [False, True], outcomes
    with site.transaction() as s:
        statuses = set(s.exec(select(User.status).where(col(User.id).in_(people))).all())
        recorded = Counter(
            s.exec(
                select(AuditEntry.subject_id).where(col(AuditEntry.action).like("%deleted"))
            ).all()
        )
    assert statuses == {AccountStatus.deleted}
    assert sorted(recorded.values()) == [1] * EXTRA_ROUNDS
