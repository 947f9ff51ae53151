"""Second coding: Cohen's kappa against a hand-computed example, the sample, blindness,
agreement, and settled values counting in Annex A."""

from __future__ import annotations

import pytest
from sklearn.metrics import cohen_kappa_score
from sqlmodel import select

from app.accounts.models import Role
from app.analysis import assurance, coding, tallies
from app.analysis.models import SecondCoding
from app.consultations import catalogue
from app.participation.models import Contribution
from kernel.clock import utcnow
from kernel.errors import Conflict, Forbidden, FormInvalid
from tests.factories import add_response, make_consultation, make_user


def test_kappa_matches_a_hand_computed_example():
    # 10 answers; the coders agree on 7 (p_o = 0.7). Each used positive 4 times, negative 3
    # and neutral 3, so chance agreement p_e = (16 + 9 + 9) / 100 = 0.34 and
    # kappa = (0.7 - 0.34) / (1 - 0.34) = 0.36 / 0.66 = 6/11.
    first = ["positive"] * 4 + ["negative"] * 3 + ["neutral"] * 3
    second = ["positive"] * 3 + ["negative"] * 3 + ["neutral"] * 3 + ["positive"]
    assert assurance.cohen_kappa(first, second) == pytest.approx(6 / 11)
    assert assurance.cohen_kappa(first, second) == pytest.approx(cohen_kappa_score(first, second))


def test_kappa_is_one_for_perfect_agreement_and_undefined_for_a_single_category():
    codes = ["positive", "negative", "neutral", "positive"]
    assert assurance.cohen_kappa(codes, codes) == pytest.approx(1.0)
    assert assurance.cohen_kappa(["neutral"] * 3, ["neutral"] * 3) is None
    assert assurance.cohen_kappa([], []) is None
    with pytest.raises(ValueError, match="same items"):
        assurance.cohen_kappa(["positive"], [])


@pytest.fixture
def coded(session):
    """A question with 10 answers, all coded by the first analyst."""
    c = make_consultation(session, status="closed", questions=1)
    (q,) = catalogue.questions_of(session, c)
    first = make_user(session, roles={Role.organiser}, pseudonym="FirstCoder")
    second = make_user(session, roles={Role.organiser}, pseudonym="SecondCoder")
    third = make_user(session, roles={Role.organiser}, pseudonym="ThirdAnalyst")
    evaluations = ["positive"] * 4 + ["negative"] * 3 + ["neutral"] * 3
    ids = []
    for i, evaluation in enumerate(evaluations):
        response = add_response(session, c, {q.id: "agree"}, texts={q.id: f"Answer number {i}."})
        contribution = session.exec(
            select(Contribution).where(Contribution.response_id == response.id)
        ).one()
        coding.code_answer(
            session,
            consultation=c,
            answer_id=contribution.id,
            evaluation=evaluation,
            coder=first,
            now=utcnow(),
        )
        ids.append(contribution.id)
    return c, q, first, second, third, ids, evaluations


def _request(session, c, q, second, first, amount="100", unit="percent"):
    return assurance.request_second_coding(
        session,
        consultation=c,
        question=q,
        coder_id=str(second.id),
        amount=amount,
        unit=unit,
        requester=first,
        now=utcnow(),
    )


def test_a_sample_by_percentage_or_number(session, coded):
    c, q, first, second, *_ = coded
    request = _request(session, c, q, second, first, amount="30", unit="percent")
    assert request.sample_size == 3
    rows = session.exec(select(SecondCoding).where(SecondCoding.request_id == request.id)).all()
    assert len(rows) == 3 and all(r.second_evaluation is None for r in rows)
    with pytest.raises(FormInvalid) as twice:
        _request(session, c, q, second, first, amount="2", unit="number")
    assert "already" in twice.value.errors["coder"]


@pytest.mark.parametrize(
    ("amount", "unit", "field"),
    [
        ("0", "percent", "amount"),
        ("abc", "number", "amount"),
        ("101", "percent", "amount"),
        ("5", "bananas", "unit"),
    ],
)
def test_a_bad_sample_is_refused(session, coded, amount, unit, field):
    c, q, first, second, *_ = coded
    with pytest.raises(FormInvalid) as refused:
        _request(session, c, q, second, first, amount=amount, unit=unit)
    assert field in refused.value.errors
    assert session.exec(select(SecondCoding)).all() == []


def test_the_first_coder_cannot_second_code_their_own_answers(session, coded):
    c, q, first, *_ = coded
    with pytest.raises(FormInvalid):
        _request(session, c, q, first, first)


def test_agreement_and_settling_a_disagreement_changes_annex_a(session, coded):
    c, q, first, second, third, ids, _evaluations = coded
    _request(session, c, q, second, first)
    seconds = ["positive"] * 3 + ["negative"] * 3 + ["neutral"] * 3 + ["positive"]
    for answer_id, evaluation in zip(ids, seconds, strict=True):
        page = assurance.blind_page(session, consultation=c, question=q, coder=second)
        assert page.answer.id == answer_id
        assurance.code_second(
            session,
            consultation=c,
            answer_id=answer_id,
            evaluation=evaluation,
            analyst=second,
            now=utcnow(),
        )
    (agreement,) = assurance.agreements(session, questions=[q])
    assert (agreement.coded, agreement.agreed, agreement.percent) == (10, 7, 70)
    assert agreement.kappa == pytest.approx(6 / 11)
    assert agreement.unsettled == 3
    listed = assurance.disagreements(session, question=q)
    assert [(d.first, d.second) for d in listed] == [
        ("positive", "negative"),
        ("negative", "neutral"),
        ("neutral", "positive"),
    ]
    before = tallies.annex_a(session, consultation=c).main.rows[0]
    assert (before.positive, before.negative, before.neutral) == (4, 3, 3)
    # neither coder may settle; the third analyst does, once
    with pytest.raises(Forbidden):
        assurance.settle(
            session,
            consultation=c,
            answer_id=listed[0].answer_id,
            evaluation="negative",
            analyst=second,
            now=utcnow(),
        )
    assurance.settle(
        session,
        consultation=c,
        answer_id=listed[0].answer_id,
        evaluation="negative",
        analyst=third,
        now=utcnow(),
    )
    with pytest.raises(Conflict):
        assurance.settle(
            session,
            consultation=c,
            answer_id=listed[0].answer_id,
            evaluation="positive",
            analyst=third,
            now=utcnow(),
        )
    session.expire_all()
    after = tallies.annex_a(session, consultation=c).main.rows[0]
    assert (after.positive, after.negative, after.neutral) == (3, 4, 3)
    assert assurance.agreements(session, questions=[q])[0].unsettled == 2


def test_another_analyst_cannot_open_or_code_the_sample(session, coded):
    c, q, first, second, third, ids, _ = coded
    _request(session, c, q, second, first)
    with pytest.raises(Forbidden):
        assurance.blind_page(session, consultation=c, question=q, coder=third)
    with pytest.raises(Forbidden):
        assurance.code_second(
            session,
            consultation=c,
            answer_id=ids[0],
            evaluation="positive",
            analyst=third,
            now=utcnow(),
        )
