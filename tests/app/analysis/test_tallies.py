"""Annex A against tables computed by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.accounts.models import Role
from app.analysis import coding, tallies
from app.analysis.cells import cell_answers
from app.analysis.models import CampaignGroup, CampaignMember
from app.analysis.tallies import Split, annex_a
from app.consultations import catalogue
from kernel.clock import utcnow
from tests.factories import add_response, make_consultation, make_user


def _questions(session: Session, consultation):
    return catalogue.questions_of(session, consultation)


def _row(table, position):
    return next(r for r in table.rows if r.position == position)


def _check_every_row_adds_up(result) -> None:
    for table in result.tables:
        for row in table.rows:
            assert sum(row.counts) == table.respondents, row
            if table.respondents:
                assert sum(row.percentages) == 100, row
            else:
                assert row.percentages == (0, 0, 0, 0, 0)


def test_forty_two_respondents_round_to_17_9_48_26(session: Session) -> None:
    # 7, 4, 20 and 11 of 42: rounding each alone gives 17 + 10 + 48 + 26 = 101.
    c = make_consultation(session, questions=2)
    q1, q2 = _questions(session, c)
    for stance, n in (("agree", 7), ("disagree", 4), ("neutral", 12), ("not_sure", 8)):
        for _ in range(n):
            add_response(session, c, {q1.id: stance, q2.id: "agree"})
    for _ in range(11):
        add_response(session, c, {q2.id: "disagree"})
    result = annex_a(session, consultation=c)
    table = result.main
    assert table.respondents == 42
    row1, row2 = _row(table, 1), _row(table, 2)
    assert row1.counts == (7, 4, 20, 0, 11)
    assert row1.percentages == (17, 9, 48, 0, 26)
    assert row2.counts == (31, 11, 0, 0, 0)
    assert row2.percentages == (74, 26, 0, 0, 0)
    _check_every_row_adds_up(result)


def test_three_tied_remainders_go_to_the_larger_count_then_column_order(session: Session) -> None:
    # Six respondents; question 1: one each positive, negative, neutral, three silent.
    # Exact shares 16.67, 16.67, 16.67, 50: three remainders of 4/6 tie for the 2 missing
    # points, which go to positive and negative (column order).
    c = make_consultation(session, questions=2)
    q1, q2 = _questions(session, c)
    add_response(session, c, {q1.id: "agree", q2.id: "agree"})
    add_response(session, c, {q1.id: "disagree", q2.id: "disagree"})
    add_response(session, c, {q1.id: "not_sure", q2.id: "neutral"})
    for _ in range(3):
        add_response(session, c, {q2.id: "agree"})
    table = annex_a(session, consultation=c).main
    assert _row(table, 1).counts == (1, 1, 1, 0, 3)
    assert _row(table, 1).percentages == (17, 17, 16, 0, 50)
    # Question 2: 4, 1, 1 of 6 -> 66.67, 16.67, 16.67: the larger count wins the tie first.
    assert _row(table, 2).counts == (4, 1, 1, 0, 0)
    assert _row(table, 2).percentages == (67, 17, 16, 0, 0)


def test_three_way_tie_with_equal_counts_serves_positive_first(session: Session) -> None:
    c = make_consultation(session, questions=1)
    (q1,) = _questions(session, c)
    for stance in ("agree", "disagree", "neutral"):
        add_response(session, c, {q1.id: stance})
    row = _row(annex_a(session, consultation=c).main, 1)
    assert row.counts == (1, 1, 1, 0, 0)
    assert row.percentages == (34, 33, 33, 0, 0)


def test_question_nobody_answered_is_all_no_response(session: Session) -> None:
    c = make_consultation(session, questions=3)
    q1, q2, _q3 = _questions(session, c)
    for _ in range(5):
        add_response(session, c, {q1.id: "agree", q2.id: "disagree"})
    result = annex_a(session, consultation=c)
    row3 = _row(result.main, 3)
    assert row3.counts == (0, 0, 0, 0, 5)
    assert row3.percentages == (0, 0, 0, 0, 100)
    assert row3.answered == 0
    _check_every_row_adds_up(result)


def test_consultation_with_one_respondent(session: Session) -> None:
    c = make_consultation(session, questions=2)
    q1, _ = _questions(session, c)
    add_response(session, c, {q1.id: "disagree"})
    result = annex_a(session, consultation=c)
    assert result.main.respondents == 1
    assert _row(result.main, 1).percentages == (0, 100, 0, 0, 0)
    assert _row(result.main, 2).percentages == (0, 0, 0, 0, 100)
    _check_every_row_adds_up(result)


def test_consultation_without_respondents_has_zero_rows(session: Session) -> None:
    c = make_consultation(session, questions=2)
    result = annex_a(session, consultation=c)
    assert result.main.respondents == 0
    assert [r.counts for r in result.main.rows] == [(0, 0, 0, 0, 0)] * 2
    _check_every_row_adds_up(result)


def test_coded_evaluation_wins_over_declared_stance_and_declared_cells_are_counted(
    session: Session,
) -> None:
    c = make_consultation(session, questions=1)
    (q1,) = _questions(session, c)
    analyst = make_user(session, roles={Role.organiser})
    responses = [
        add_response(session, c, {q1.id: s})
        for s in ("agree", "agree", "agree", "disagree", "neutral")
    ]
    row = _row(annex_a(session, consultation=c).main, 1)
    assert row.counts == (3, 1, 1, 0, 0)
    assert row.declared == {"positive": 3, "negative": 1, "neutral": 1}
    answers = [_answer_id(session, r) for r in responses]
    coding.code_answer(
        session,
        consultation=c,
        answer_id=answers[0],
        evaluation="negative",
        coder=analyst,
        now=utcnow(),
    )
    coding.code_answer(
        session,
        consultation=c,
        answer_id=answers[3],
        evaluation="negative",
        coder=analyst,
        now=utcnow(),
    )
    coding.code_answer(
        session,
        consultation=c,
        answer_id=answers[4],
        evaluation="positive",
        coder=analyst,
        now=utcnow(),
    )
    table = annex_a(session, consultation=c).main
    row = _row(table, 1)
    assert row.counts == (3, 2, 0, 0, 0)
    assert row.coded == 3
    assert row.declared == {"positive": 2, "negative": 0, "neutral": 0}
    assert table.declared_answers == 2 and table.declared_cells == 1
    # Re-coding replaces, never adds.
    coding.code_answer(
        session,
        consultation=c,
        answer_id=answers[0],
        evaluation="neutral",
        coder=analyst,
        now=utcnow(),
    )
    assert _row(annex_a(session, consultation=c).main, 1).counts == (3, 1, 1, 0, 0)


def _answer_id(session: Session, response) -> int:
    from sqlmodel import select

    from app.participation.models import Contribution

    return session.exec(
        select(Contribution.id)
        .where(Contribution.response_id == response.id)
        .order_by(Contribution.id)
    ).first()


def test_removed_private_and_imported_answers_count_and_deleted_ones_do_not(
    session: Session,
) -> None:
    c = make_consultation(session, questions=1)
    (q1,) = _questions(session, c)
    add_response(session, c, {q1.id: "agree"}, states={q1.id: "removed"})
    add_response(session, c, {q1.id: "disagree"}, is_public=False)
    add_response(session, c, {q1.id: "agree"}, states={q1.id: "held"})
    add_response(session, c, {q1.id: "agree"}, states={q1.id: "deleted"})
    imported = add_response(session, c, {q1.id: None}, imported=True, channel="email")
    add_response(session, c, {q1.id: "neutral"}, imported=True)
    table = annex_a(session, consultation=c).main
    row = _row(table, 1)
    assert table.respondents == 6
    assert row.counts == (2, 1, 1, 1, 1)  # the imported letter without a stance: not evaluated
    assert row.removed == 1 and row.private == 3  # one chosen, two imported
    assert table.removed == 1 and table.has_unevaluated
    analyst = make_user(session, roles={Role.organiser})
    coding.code_answer(
        session,
        consultation=c,
        answer_id=_answer_id(session, imported),
        evaluation="positive",
        coder=analyst,
        now=utcnow(),
    )
    assert _row(annex_a(session, consultation=c).main, 1).counts == (3, 1, 1, 0, 1)


def test_splits_by_respondent_type_verification_and_campaign(session: Session) -> None:
    c = make_consultation(session, questions=2)
    q1, q2 = _questions(session, c)
    add_response(session, c, {q1.id: "agree"}, level="identity")
    add_response(session, c, {q1.id: "disagree", q2.id: "agree"}, level="email")
    org = add_response(
        session,
        c,
        {q1.id: "agree", q2.id: "agree"},
        respondent_type="organisation",
        organisation_name="Open Rights Group",
        level="email",
    )
    add_response(
        session,
        c,
        {q2.id: "neutral"},
        imported=True,
        respondent_type="organisation",
        organisation_name="Bar Council",
    )
    by_type = annex_a(session, consultation=c, split=Split.respondent_type)
    individuals, organisations = by_type.tables
    assert (individuals.respondents, organisations.respondents) == (2, 2)
    assert _row(individuals, 1).counts == (1, 1, 0, 0, 0)
    assert _row(individuals, 2).counts == (1, 0, 0, 0, 1)
    assert _row(organisations, 1).counts == (1, 0, 0, 0, 1)
    assert _row(organisations, 2).counts == (1, 0, 1, 0, 0)
    by_level = {
        t.group: t for t in annex_a(session, consultation=c, split=Split.verification).tables
    }
    assert {g: t.respondents for g, t in by_level.items()} == {
        "identity": 1,
        "email": 2,
        "none": 0,
        "imported": 1,
    }
    assert _row(by_level["email"], 1).counts == (1, 1, 0, 0, 0)
    assert _row(by_level["imported"], 2).counts == (0, 0, 1, 0, 0)
    # A campaign group holding the organisation's answer to question 2.
    answer = _answer_id(session, org)
    from sqlmodel import select

    from app.participation.models import Contribution

    q2_answer = session.exec(
        select(Contribution).where(
            Contribution.response_id == org.id, Contribution.question_id == q2.id
        )
    ).one()
    group = CampaignGroup(
        consultation_id=c.id, question_id=q2.id, representative_id=q2_answer.id, size=1
    )
    session.add(group)
    session.flush()
    session.add(
        CampaignMember(
            contribution_id=q2_answer.id,
            group_id=group.id,
            consultation_id=c.id,
            question_id=q2.id,
            response_id=org.id,
        )
    )
    session.flush()
    assert answer
    campaign, other = annex_a(session, consultation=c, split=Split.campaign).tables
    assert (campaign.respondents, other.respondents) == (1, 3)
    assert _row(campaign, 1).counts == (1, 0, 0, 0, 0)
    assert _row(other, 2).counts == (1, 0, 1, 0, 1)
    for split in Split:
        _check_every_row_adds_up(annex_a(session, consultation=c, split=split))


@pytest.mark.parametrize("split", list(Split))
def test_every_cell_traces_to_exactly_its_answers(session: Session, split: Split) -> None:
    c = make_consultation(session, questions=2)
    q1, q2 = _questions(session, c)
    analyst = make_user(session, roles={Role.organiser})
    for i, stance in enumerate(["agree", "disagree", "neutral", None, "not_sure", "agree"]):
        r = add_response(
            session,
            c,
            {q1.id: stance} if i % 2 else {q1.id: stance, q2.id: "disagree"},
            imported=stance is None,
            respondent_type="organisation" if i == 1 else "individual",
        )
        if i == 5:
            coding.code_answer(
                session,
                consultation=c,
                answer_id=_answer_id(session, r),
                evaluation="negative",
                coder=analyst,
                now=utcnow(),
            )
    result = annex_a(session, consultation=c, split=split)
    for table in result.tables:
        for row in table.rows:
            question = q1 if row.position == 1 else q2
            for category, count, _ in row.cells():
                page = cell_answers(
                    session,
                    consultation=c,
                    question=question,
                    category=category,
                    split=split,
                    group=table.group,
                )
                assert page.total == count, (table.group, row.position, category)
                assert len(page.items) == count


def test_tally_is_two_queries_however_many_answers(session: Session, count_queries) -> None:
    c = make_consultation(session, questions=3)
    qs = _questions(session, c)
    count_queries.statements.clear()
    annex_a(session, consultation=c, questions=qs)
    few = count_queries.count
    for _ in range(20):
        add_response(session, c, {q.id: "agree" for q in qs})
    count_queries.statements.clear()
    annex_a(session, consultation=c, questions=qs)
    assert count_queries.count == few == 2


def test_cell_of_unknown_category_is_not_found(session: Session) -> None:
    from kernel.errors import NotFound

    c = make_consultation(session, questions=1)
    (q1,) = _questions(session, c)
    with pytest.raises(NotFound):
        cell_answers(session, consultation=c, question=q1, category="furious")
    assert tallies.CATEGORIES[-1] == "no_response"
