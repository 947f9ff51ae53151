"""The summary of responses as a PDF: each Annex A chart whole on one page (its caption, its
figure and the figures under it), read back with pypdf."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.consultations import catalogue
from tests.factories import add_response, make_consultation

QUESTIONS = 30
CAPTION = re.compile(r"Question (\d+): how the [\d,]+ respondents? answered")


def test_each_chart_of_the_pdf_is_whole_on_one_page(organiser_client, session) -> None:
    consultation = make_consultation(session, status="closed", questions=QUESTIONS)
    ids = catalogue.question_ids(catalogue.questions_of(session, consultation))
    stances = ["agree", "disagree", "neutral", "not_sure", "agree", None]
    for n in range(9):
        add_response(
            session, consultation, {qid: stances[(n + i) % 6] for i, qid in enumerate(ids)}
        )
    response = organiser_client.get(f"/organise/{consultation.slug}/export/summary.pdf")
    assert response.status_code == 200
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) > 2  # long enough for charts to meet page ends
    seen = set()
    for text in pages:
        for caption in CAPTION.finditer(text):
            number = int(caption.group(1))
            seen.add(number)
            after = text[caption.end() :]
            # The figures printed under the chart follow on the same page.
            assert re.match(r"\s*Positive \d+ \(\d+%\); Negative", after), (number, after[:80])
    assert seen == set(range(1, QUESTIONS + 1))
