"""Every sentence of the summary of responses is true of its figures, in the page and in every
export (web page, PDF, Markdown, tallies CSV and JSON), with singular and plural right."""

from __future__ import annotations

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sqlmodel import select

from app.accounts.models import Role
from app.analysis import coding, outcome, summary_text
from app.consultations import catalogue
from app.participation.models import Contribution
from kernel.clock import utcnow
from tests.factories import add_response, make_consultation, make_user


def _summary(session, consultation):
    return outcome.summary(session, consultation=consultation, now=utcnow())


def _exports(client, slug: str) -> dict[str, str]:
    pdf = client.get(f"/organise/{slug}/export/summary.pdf").content
    return {
        "md": client.get(f"/organise/{slug}/export/summary.md").text,
        "html": BeautifulSoup(
            client.get(f"/organise/{slug}/export/summary.html").text, "html.parser"
        ).get_text(" "),
        "pdf": " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages),
    }


def _code(session, consultation, answers, evaluation: str) -> None:
    coder = make_user(session, roles={Role.organiser})
    for answer in answers:
        coding.code_answer(
            session,
            consultation=consultation,
            answer_id=answer.id,
            evaluation=evaluation,
            coder=coder,
            now=utcnow(),
        )


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("channels", "expected"),
    [
        ([], "We received no responses."),
        (["web"], "We received 1 response, all on the site."),
        (["post"], "We received 1 response, 1 by post."),
        (["web", "web", "email"], "We received 3 responses: 2 on the site and 1 by e-mail."),
    ],
)
def test_the_count_of_responses_reads_right_for_none_one_and_many(
    session, channels, expected
) -> None:
    c = make_consultation(session, questions=1, status="closed")
    (q,) = catalogue.questions_of(session, c)
    for channel in channels:
        add_response(session, c, {q.id: "agree"}, imported=channel != "web", channel=channel)
    assert summary_text.responses_sentences(_summary(session, c))[0] == expected


def test_with_4_of_24_answers_coded_the_summary_says_so_and_never_that_all_were_analysed(
    organiser_client, session
) -> None:
    c = make_consultation(session, questions=2, status="closed")
    q1, q2 = catalogue.questions_of(session, c)
    for _ in range(12):
        add_response(session, c, {q1.id: "agree", q2.id: "disagree"})
    first_four = select(Contribution).where(Contribution.question_id == q1.id).limit(4)
    _code(session, c, session.exec(first_four).all(), "positive")
    expected = "Analysts have evaluated 4 of the 24 answers so far."
    for kind, text in _exports(organiser_client, c.slug).items():
        flat = _flat(text)
        assert expected in flat, kind
        assert "20 answers are counted by the stances their respondents declared." in flat, kind
        assert "Every response has been analysed" not in flat, kind
        assert "every one of" not in flat, kind


def test_when_every_answer_is_coded_the_summary_says_every_one(session) -> None:
    c = make_consultation(session, questions=1, status="closed")
    (q,) = catalogue.questions_of(session, c)
    add_response(session, c, {q.id: "agree"})
    coder = make_user(session, roles={Role.organiser})
    answer = session.exec(select(Contribution).where(Contribution.question_id == q.id)).one()
    coding.code_answer(
        session,
        consultation=c,
        answer_id=answer.id,
        evaluation="neutral",
        coder=coder,
        now=utcnow(),
    )
    s = _summary(session, c)
    assert summary_text.coding_sentences(s) == ["An analyst read and evaluated the one answer."]
    assert "Every answer counted here has been evaluated by an analyst." in (
        summary_text.annex_notes(s.annex)
    )


def test_organisations_are_described_by_who_responded_and_who_agreed_to_be_named(
    session,
) -> None:
    c = make_consultation(session, questions=1, status="closed")
    (q,) = catalogue.questions_of(session, c)
    add_response(session, c, {q.id: "agree"})
    assert summary_text.organisation_sentences(_summary(session, c)).lead == (
        "No organisation responded."
    )
    add_response(
        session, c, {q.id: "agree"}, respondent_type="organisation", organisation_name="Unnamed"
    )
    assert summary_text.organisation_sentences(_summary(session, c)).lead == (
        "1 organisation responded and did not ask to be named."
    )
    for name in ("Safer Screens Trust", "Digital Dignity Alliance"):
        add_response(
            session,
            c,
            {q.id: "agree"},
            respondent_type="organisation",
            organisation_name=name,
            may_name_organisation=True,
        )
    said = summary_text.organisation_sentences(_summary(session, c))
    assert said.lead == "These 2 organisations responded and agreed to be named:"
    assert said.names == ["Digital Dignity Alliance", "Safer Screens Trust"]
    assert said.after == "1 other organisation responded and did not ask to be named."


def test_the_markdown_says_1_response_in_the_singular_and_keeps_the_declared_marks(
    organiser_client, session
) -> None:
    c = make_consultation(session, questions=1, status="closed")
    (q,) = catalogue.questions_of(session, c)
    add_response(session, c, {q.id: "agree"})
    md = organiser_client.get(f"/organise/{c.slug}/export/summary.md").text
    assert "We received 1 response, all on the site." in md
    assert "1 responses" not in md
    assert "There was 1 response to this question." in md
    assert "| 1. Question 1? | 1 (100%) *d* |" in md
    assert "The cell that rests on declared stances is marked d." in md


def _tied(session):
    """Question 1: 2 positive and 2 negative of 19 respondents, shown as 11 % and 10 %."""
    c = make_consultation(session, questions=2, status="closed")
    q1, _ = catalogue.questions_of(session, c)
    for stance in ["agree"] * 2 + ["disagree"] * 2 + ["neutral"] * 15:
        add_response(session, c, {q1.id: stance})
    return c


def test_equal_counts_with_different_percentages_are_explained_under_every_table(
    organiser_client, session
) -> None:
    c = _tied(session)
    row = _summary(session, c).annex.rows[0]
    assert row.counts[:2] == (2, 2) and row.percentages[:2] == (11, 10)
    assert sum(row.percentages) == 100
    note = "In question 1, equal numbers of respondents show different percentages."
    page = BeautifulSoup(organiser_client.get(f"/organise/{c.slug}/annex-a").text, "html.parser")
    notes = page.select_one("#annex-all-notes")
    assert notes is not None and note in notes.get_text(" ")
    assert "further left" in notes.get_text(" ")
    for kind, text in _exports(organiser_client, c.slug).items():
        assert note in _flat(text), kind
    tallies = organiser_client.get(f"/organise/{c.slug}/export/tallies.csv").text.lstrip("\ufeff")
    rows = [r for r in csv.DictReader(io.StringIO(tallies)) if r["split"] == "all"]
    assert "further left" in rows[0]["rounding_note"] and rows[1]["rounding_note"] == ""
    document = json.loads(organiser_client.get(f"/organise/{c.slug}/export/tallies.json").text)
    group = document["splits"][0]["groups"][0]
    assert group["rows"][0]["equal_counts_differ"] is True
    assert group["rows"][1]["equal_counts_differ"] is False
    assert any(note in n for n in group["notes"])


def test_no_rounding_note_when_equal_counts_show_equal_percentages(session) -> None:
    c = make_consultation(session, questions=1, status="closed")
    (q,) = catalogue.questions_of(session, c)
    for stance in ("agree", "disagree", "neutral", "neutral"):
        add_response(session, c, {q.id: stance})
    assert summary_text.rounding_note(_summary(session, c).annex) == ""
