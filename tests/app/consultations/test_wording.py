"""Wording questions, called directly: add, edit, move and remove them while the consultation
is an unanswered draft; every change refused once it is published or answered."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.consultations import catalogue, wording
from app.consultations.models import Question
from kernel.errors import Conflict, FormInvalid, NotFound
from tests.factories import add_response, make_consultation


def texts(session: Session, consultation) -> list[str]:
    return [q.text for q in catalogue.questions_of(session, consultation)]


@pytest.fixture
def draft(session: Session):
    return make_consultation(session, is_published=False, questions=3)


def test_a_question_is_added_at_the_end_with_its_guidance_and_prompt(
    session: Session, draft
) -> None:
    added = wording.add_question(
        session,
        consultation=draft,
        values={"text": "  Anything else?  ", "guidance": "Be brief.", "stance_prompt": "Agree?"},
    )
    stored = session.get(Question, added.id)
    assert (stored.position, stored.text) == (4, "Anything else?")
    assert (stored.guidance, stored.stance_prompt) == ("Be brief.", "Agree?")


def test_the_first_question_of_an_empty_draft_is_number_one(session: Session) -> None:
    empty = make_consultation(session, is_published=False, questions=0)
    added = wording.add_question(session, consultation=empty, values={"text": "First?"})
    assert added.position == 1
    assert added.stance_prompt == "Do you agree with the proposed approach?"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "q" * 1001}, "text"),
        ({"text": "Fine?", "guidance": "g" * 2001}, "guidance"),
        ({"text": "Fine?", "stance_prompt": "p" * 301}, "stance_prompt"),
    ],
)
def test_a_bad_question_is_refused_with_its_field_and_not_stored(
    session: Session, draft, values, field
) -> None:
    with pytest.raises(FormInvalid) as refused:
        wording.add_question(session, consultation=draft, values=values)
    assert set(refused.value.errors) == {field}
    assert catalogue.question_count(session, draft) == 3


def test_editing_a_question_changes_its_wording(session: Session, draft) -> None:
    wording.edit_question(
        session, consultation=draft, number=2, values={"text": "Reworded?", "guidance": "New."}
    )
    second = catalogue.get_question(session, draft, 2)
    assert (second.text, second.guidance) == ("Reworded?", "New.")
    assert texts(session, draft) == ["Question 1?", "Reworded?", "Question 3?"]


def test_editing_with_bad_values_keeps_the_old_wording(session: Session, draft) -> None:
    with pytest.raises(FormInvalid):
        wording.edit_question(session, consultation=draft, number=1, values={"text": ""})
    assert catalogue.get_question(session, draft, 1).text == "Question 1?"


def test_editing_a_question_that_does_not_exist_is_not_found(session: Session, draft) -> None:
    with pytest.raises(NotFound):
        wording.edit_question(session, consultation=draft, number=7, values={"text": "X?"})


def test_moving_a_question_up_and_down_swaps_it_with_its_neighbour(session: Session, draft) -> None:
    wording.move_question(session, consultation=draft, number=3, direction="up")
    assert texts(session, draft) == ["Question 1?", "Question 3?", "Question 2?"]
    wording.move_question(session, consultation=draft, number=1, direction="down")
    assert texts(session, draft) == ["Question 3?", "Question 1?", "Question 2?"]
    assert [q.position for q in catalogue.questions_of(session, draft)] == [1, 2, 3]


@pytest.mark.parametrize(("number", "direction"), [(1, "up"), (3, "down")])
def test_a_question_cannot_move_past_the_end(session: Session, draft, number, direction) -> None:
    with pytest.raises(Conflict):
        wording.move_question(session, consultation=draft, number=number, direction=direction)
    assert texts(session, draft) == ["Question 1?", "Question 2?", "Question 3?"]


def test_removing_a_question_renumbers_the_ones_after_it(session: Session, draft) -> None:
    wording.remove_question(session, consultation=draft, number=1)
    questions = catalogue.questions_of(session, draft)
    assert [(q.position, q.text) for q in questions] == [(1, "Question 2?"), (2, "Question 3?")]


def test_removing_the_last_question_leaves_the_others(session: Session, draft) -> None:
    wording.remove_question(session, consultation=draft, number=3)
    assert texts(session, draft) == ["Question 1?", "Question 2?"]


def test_a_draft_without_answers_is_not_locked(session: Session, draft) -> None:
    assert wording.question_lock(session, draft) is None
    assert wording.answer_count(session, draft) == 0


CHANGES = [
    lambda s, c: wording.add_question(s, consultation=c, values={"text": "New?"}),
    lambda s, c: wording.edit_question(s, consultation=c, number=1, values={"text": "New?"}),
    lambda s, c: wording.move_question(s, consultation=c, number=1, direction="down"),
    lambda s, c: wording.remove_question(s, consultation=c, number=1),
]
CHANGE_IDS = ["add", "edit", "move", "remove"]


@pytest.mark.parametrize("change", CHANGES, ids=CHANGE_IDS)
def test_the_questions_of_a_published_consultation_cannot_change(session: Session, change) -> None:
    published = make_consultation(session, questions=2)
    with pytest.raises(Conflict) as refused:
        change(session, published)
    assert "published" in refused.value.message
    assert texts(session, published) == ["Question 1?", "Question 2?"]


@pytest.mark.parametrize("change", CHANGES, ids=CHANGE_IDS)
def test_the_questions_of_an_answered_draft_cannot_change(session: Session, change) -> None:
    answered = make_consultation(session, questions=2, is_published=False)
    first = catalogue.get_question(session, answered, 1)
    add_response(session, answered, {first.id: "agree"})
    with pytest.raises(Conflict) as refused:
        change(session, answered)
    assert "1 answer has been received" in refused.value.message
    assert texts(session, answered) == ["Question 1?", "Question 2?"]
    assert wording.answer_count(session, answered) == 1
