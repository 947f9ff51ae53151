"""Searching a question's answers by words and stance: the same answers found on SQLite (FTS5)
and PostgreSQL (full text), a constant number of queries, and a page that keeps what was
typed. Every test here runs on both databases with the same queries and the same expected
answers."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session

from app.accounts.models import User
from app.consultations import catalogue
from app.participation import commands, search, views
from app.participation.models import Contribution
from app.participation.search import AnswerFilter
from kernel.clock import utcnow
from tests.factories import make_consultation, make_user

TEXTS = {
    "police": ("agree", "The police need training to take online threats seriously."),
    "courts": ("disagree", "Courts, not the police, should decide what is a threat."),
    "victims": ("agree", "Victims of abuse are told to come off social media. That is wrong!"),
    "platforms": ("neutral", "Platforms must publish how quickly they remove reported posts."),
    "email": ("not_sure", "I reported it by e-mail in 2025 and heard nothing back."),
    "capitals": ("agree", "POLICE TRAINING is the answer, in capitals."),
}


@pytest.fixture
def answered(session: Session):
    consultation = make_consultation(session, questions=1)
    question = catalogue.get_question(session, consultation, 1)
    ids = {}
    for key, (stance, text) in TEXTS.items():
        answer = commands.submit_answer(
            session,
            consultation=consultation,
            question=question,
            author=make_user(session),
            stance=stance,
            text=text,
            publish=True,
            now=utcnow(),
        )
        ids[answer.id] = key
    session.flush()
    return consultation, question, ids


def _found(session, question, ids, *, q=None, stance=None) -> set[str]:
    page = views.answer_page(
        session,
        question=question,
        sort=views.AnswerSort.newest,
        page=1,
        per_page=50,
        chosen=AnswerFilter.read(q=q, stance=stance),
    )
    found = {ids[a.id] for a in page.answers}
    assert page.matched == len(found)
    return found


@pytest.mark.parametrize(
    ("q", "stance", "expected"),
    [
        ("police", None, {"police", "courts", "capitals"}),
        ("Police training", None, {"police", "capitals"}),
        ("training police", None, {"police", "capitals"}),  # every word, in any order
        ("THREAT", None, {"courts"}),  # whole words: "threats" is another word
        ("threats", None, {"police"}),
        ("mail", None, {"email"}),  # "e-mail" is two words
        ("e-mail", None, {"email"}),
        ("2025", None, {"email"}),
        ("wrong!", None, {"victims"}),  # punctuation is not searched for
        ("social media", None, {"victims"}),
        ("police", "agree", {"police", "capitals"}),
        (None, "disagree", {"courts"}),
        (None, "not_sure", {"email"}),
        ("nobody wrote this", None, set()),
        ('" OR 1=1 --', None, set()),  # FTS syntax and SQL are only words here
        ("NEAR(police training)", None, set()),
        ("police*", None, {"police", "courts", "capitals"}),
    ],
)
def test_the_same_words_find_the_same_answers_on_both_databases(
    session: Session, answered, q, stance, expected
) -> None:
    _consultation, question, ids = answered
    assert _found(session, question, ids, q=q, stance=stance) == expected


def test_an_edited_answer_is_found_by_its_new_words_only(session: Session, answered) -> None:
    consultation, question, ids = answered
    key = {v: k for k, v in ids.items()}
    answer = session.get(Contribution, key["platforms"])
    commands.submit_answer(
        session,
        consultation=consultation,
        question=question,
        author=session.get(User, answer.author_id),
        stance="neutral",
        text="Regulators should audit the moderation of large sites.",
        publish=True,
        now=utcnow(),
    )
    session.flush()
    assert _found(session, question, ids, q="regulators audit") == {"platforms"}
    assert _found(session, question, ids, q="platforms") == set()


def test_an_unknown_stance_is_left_out_and_words_are_bounded() -> None:
    assert AnswerFilter.read(q="", stance="furious").stance is None
    assert not AnswerFilter.read(q="  ", stance="").active
    assert len(search.words_of(" ".join(f"w{i}" for i in range(30)))) == search.MAX_WORDS


def test_searching_costs_the_same_queries_whatever_the_number_of_answers(
    client, session: Session, count_queries
) -> None:
    small = make_consultation(session, questions=1)
    large = make_consultation(session, questions=1)
    for consultation, count in ((small, 2), (large, 30)):
        question = catalogue.get_question(session, consultation, 1)
        for n in range(count):
            commands.submit_answer(
                session,
                consultation=consultation,
                question=question,
                author=make_user(session),
                stance="agree" if n % 2 else "disagree",
                text=f"Answer number {n} about police training.",
                publish=True,
                now=utcnow(),
            )
    session.flush()
    counts = []
    for consultation in (small, large):
        count_queries.statements.clear()
        path = f"/consultations/{consultation.slug}/questions/1?q=police+training&stance=agree"
        assert client.get(path).status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1] <= 11


def test_the_question_page_searches_and_keeps_what_was_typed(
    client, session: Session, answered
) -> None:
    consultation, _question, _ids = answered
    path = f"/consultations/{consultation.slug}/questions/1"
    page = BeautifulSoup(client.get(f"{path}?q=Police&stance=agree").text, "html.parser")
    assert page.select_one("#answer-search-q")["value"] == "Police"
    assert page.select_one("#answer-search-stance option[selected]")["value"] == "agree"
    result = page.select_one("#answer-search-result").get_text()
    assert result == "2 answers with the stance “Agree” contain every word of “police”."
    assert len(page.select("#answer_list ol.answer-list > li")) == 2
    sort_link = page.select_one(".sort-options a")["href"]
    assert "q=Police" in sort_link and "stance=agree" in sort_link
    one = BeautifulSoup(client.get(f"{path}?q=courts").text, "html.parser")
    assert one.select_one("#answer-search-result").get_text() == (
        "1 answer contains every word of “courts”."
    )
    none = BeautifulSoup(client.get(f"{path}?q=zebra").text, "html.parser")
    assert none.select_one("#answer-search-result").get_text() == (
        "0 answers contain every word of “zebra”."
    )
