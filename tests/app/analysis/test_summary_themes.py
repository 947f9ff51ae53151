"""The summary of responses (web page, PDF, Markdown) lists each question's accepted themes,
largest first, with the number and share of answers and a quotation each, and states the second
coding's agreement in its method. Suggestions nobody accepted are not in it."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlmodel import select

from app.accounts.models import Role
from app.analysis import assurance, coding
from app.analysis.models import ThemeAnswer, ThemeSuggestion
from app.analysis.themes import review
from app.consultations import catalogue
from app.participation.models import Contribution
from kernel.clock import utcnow
from tests.factories import add_response, make_consultation, make_user


def _world(session):
    c = make_consultation(session, status="closed", questions=1)
    (q,) = catalogue.questions_of(session, c)
    texts = [f"Keep the evidence, answer {i}." for i in range(6)] + [
        f"Remove posts faster, answer {i}." for i in range(3)
    ]
    for i, text in enumerate(texts):
        add_response(session, c, {q.id: "agree"}, texts={q.id: text}, is_public=i != 0)
    answers = session.exec(select(Contribution).order_by(Contribution.id)).all()
    # coded (and second-coded) before the themes are accepted: coding an answer sets its tags
    first, second = (make_user(session, roles={Role.organiser}) for _ in range(2))
    for a, evaluation in zip(
        answers[:4], ["positive", "negative", "positive", "neutral"], strict=True
    ):
        coding.code_answer(
            session,
            consultation=c,
            answer_id=a.id,
            evaluation=evaluation,
            coder=first,
            now=utcnow(),
        )
    assurance.request_second_coding(
        session,
        consultation=c,
        question=q,
        coder_id=str(second.id),
        amount="4",
        unit="number",
        requester=first,
        now=utcnow(),
    )
    for a in answers[:4]:
        assurance.code_second(
            session,
            consultation=c,
            answer_id=a.id,
            evaluation="positive",
            analyst=second,
            now=utcnow(),
        )
    for label, members in (
        ("Keep the evidence", answers[:6]),
        ("Faster removal", answers[6:]),
        ("Never accepted", []),
    ):
        s = ThemeSuggestion(consultation_id=c.id, question_id=q.id, label=label)
        session.add(s)
        session.flush()
        for rank, a in enumerate(members):
            session.add(
                ThemeAnswer(contribution_id=a.id, suggestion_id=s.id, question_id=q.id, rank=rank)
            )
        session.flush()
        if label != "Never accepted":
            review.accept(session, consultation=c, suggestion_id=s.id, version=1, now=utcnow())
    session.commit()
    return c


def test_page_markdown_and_pdf_list_accepted_themes_largest_first(organiser_client, session):
    c = _world(session)
    page = organiser_client.get(f"/organise/{c.slug}/export/summary.html").text
    assert page.index("Keep the evidence") < page.index("Faster removal")
    assert "6 answers (67% of the answers to this question)" in page
    assert "3 answers (33% of the answers to this question)" in page
    assert "Never accepted" not in page
    # the quotation is the most typical answer its author published (answer 0 is private)
    assert "“Keep the evidence, answer 1.”" in page and "evidence, answer 0." not in page
    markdown = organiser_client.get(f"/organise/{c.slug}/export/summary.md").text
    assert "1. **Keep the evidence**: 6 answers (67% of the answers to this question)" in markdown
    assert "2. **Faster removal**: 3 answers (33%" in markdown
    assert "> Remove posts faster, answer 0." in markdown
    pdf = organiser_client.get(f"/organise/{c.slug}/export/summary.pdf").content
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Keep the evidence: 6 answers (67% of the answers to this question)" in text


def test_the_method_states_the_second_codings_agreement(organiser_client, session):
    c = _world(session)
    markdown = organiser_client.get(f"/organise/{c.slug}/export/summary.md").text
    # 2 of 4 agree; both coders' marginals give p_e = (2*4 + 0 + 0) / 16 = 0.5, kappa 0
    assert "question 1, 2 of 4 answers (50%; Cohen's kappa 0.00)" in markdown
    assert "2 still to settle" in markdown
    page = organiser_client.get(f"/organise/{c.slug}/export/summary.html").text
    assert "without seeing the first evaluation" in page
