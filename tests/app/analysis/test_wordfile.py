"""The Word summary opens with python-docx: real headings, Annex A tables with exactly the
figures of the JSON tallies, a chart image per question, the organisations, accepted themes."""

from __future__ import annotations

import io
import json
import re

from docx import Document
from sqlmodel import select

from app.accounts.models import Role
from app.analysis import coding, outcome, tallies
from app.analysis.models import ThemeSuggestion
from app.analysis.themes import review
from app.consultations import catalogue
from app.participation.models import Contribution
from kernel.clock import utcnow
from tests.factories import add_response, make_consultation, make_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _consultation(session):
    c = make_consultation(session, status="closed", questions=2)
    q1, q2 = catalogue.questions_of(session, c)
    for i in range(7):
        add_response(session, c, {q1.id: "agree", q2.id: "disagree"}, texts={q1.id: f"Yes {i}."})
    add_response(session, c, {q1.id: "disagree"}, level="identity")
    add_response(
        session,
        c,
        {q1.id: "neutral", q2.id: None},
        respondent_type="organisation",
        organisation_name="Safer Streets Trust",
        may_name_organisation=True,
    )
    add_response(
        session,
        c,
        {q1.id: "agree"},
        respondent_type="organisation",
        organisation_name="Unnamed Group Ltd",
        may_name_organisation=False,
    )
    add_response(session, c, {q2.id: None}, imported=True)
    coder = make_user(session, roles={Role.organiser})
    answer = session.exec(select(Contribution).where(Contribution.question_id == q1.id)).first()
    coding.code_answer(
        session,
        consultation=c,
        answer_id=answer.id,
        evaluation="negative",
        coder=coder,
        now=utcnow(),
    )
    suggestion = ThemeSuggestion(consultation_id=c.id, question_id=q1.id, label="Agreement")
    session.add(suggestion)
    session.flush()
    from app.analysis.models import ThemeAnswer

    for a in session.exec(select(Contribution).where(Contribution.question_id == q1.id)).all()[:4]:
        session.add(
            ThemeAnswer(
                contribution_id=a.id, suggestion_id=suggestion.id, question_id=q1.id, rank=a.id
            )
        )
    session.flush()
    review.accept(
        session,
        consultation=c,
        suggestion_id=suggestion.id,
        version=1,
        label="People broadly agree",
        now=utcnow(),
    )
    session.commit()
    return c


def _parse(cell: str) -> tuple[int, int]:
    count, pct = re.fullmatch(r"([\d,]+) \((\d+)%\)", cell).groups()
    return int(count.replace(",", "")), int(pct)


def test_word_summary_tables_match_the_json_tallies(organiser_client, session):
    c = _consultation(session)
    word = organiser_client.get(f"/organise/{c.slug}/export/summary.docx")
    assert word.status_code == 200 and word.headers["content-type"] == DOCX
    tallies_json = json.loads(
        organiser_client.get(f"/organise/{c.slug}/export/tallies.json").content
    )
    document = Document(io.BytesIO(word.content))
    # the main table (the split "all"), then one per group of each other split, in order
    expected = [g for split in tallies_json["splits"] for g in split["groups"]]
    assert len(document.tables) == len(expected)
    for table, group in zip(document.tables, expected, strict=True):
        header = [cell.text for cell in table.rows[0].cells]
        keys = [k for k in tallies.CATEGORIES if tallies.CATEGORY_LABELS[k] in header]
        assert header == ["Question", *[tallies.CATEGORY_LABELS[k] for k in keys], "Total"]
        rows = table.rows[1:]
        assert len(rows) == len(group["rows"])
        for row, figures in zip(rows, group["rows"], strict=True):
            cells = [cell.text for cell in row.cells]
            assert cells[0] == f"{figures['question_number']}. {figures['question']}"
            for key, cell in zip(keys, cells[1:-1], strict=True):
                assert _parse(cell) == (figures["counts"][key], figures["percentages"][key])
            assert _parse(cells[-1]) == (group["respondents"], 100)


def test_word_summary_has_headings_charts_organisations_and_themes(session):
    from app.analysis.downloads import summary_docx

    c = _consultation(session)
    s = outcome.summary(session, consultation=c, now=utcnow())
    document = Document(io.BytesIO(summary_docx(session, s, site_name="Reclaim")))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert ("Title", f"{c.title}: summary of responses") in headings
    for title in (
        "Responses",
        "Method of analysis",
        "Responses to each question",
        "Organisations that responded",
        "Annex A",
    ):
        assert ("Heading 1", title) in headings
    assert ("Heading 2", "Question 1: Question 1?") in headings
    assert ("Heading 3", "Main themes") in headings
    texts = [p.text for p in document.paragraphs]
    assert "Safer Streets Trust" in texts and "Unnamed Group Ltd" not in texts
    theme_line = next(t for t in texts if t.startswith("People broadly agree"))
    assert theme_line == "People broadly agree: 4 answers (40% of the answers to this question)"
    assert any(t.startswith("“") for t in texts)  # its quotation
    assert len(document.inline_shapes) == 2  # a chart per question
    descriptions = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert descriptions[0].startswith("Question 1: how the 11 respondents answered")
    blob = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[blob].content_type == "image/png"
