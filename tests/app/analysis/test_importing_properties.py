"""Property tests of the importer (Hypothesis): any bytes, and any table of any text, give rows
to import or problems listed by row and column, never another exception."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from app.analysis import importing, spreadsheets
from app.consultations.models import Question

QUESTIONS = [Question(consultation_id=1, position=n, text=f"Question {n}?") for n in (1, 2)]
COLUMNS = [
    "reference",
    "respondent_type",
    "organisation_name",
    "may_name_organisation",
    "channel",
    "received_at",
    "q1_stance",
    "q1_answer",
    "q2_stance",
    "q2_answer",
    "q3_answer",
    "Reference ",
    "",
]
CELL = st.one_of(
    st.sampled_from(
        ["individual", "organisation", "email", "post", "yes", "no", "agree", "not sure", ""]
    ),
    st.sampled_from(["2026-03-14", "14/03/2026", "14/03/2026 09:30", "2026-13-45", "R-1"]),
    st.text(st.characters(exclude_categories=()), max_size=30),
)
TABLE = st.tuples(
    st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=12),
    st.lists(st.lists(CELL, max_size=12), max_size=8),
)


@given(st.binary(max_size=2000), st.sampled_from(["f.csv", "f.xlsx", "f.CSV", "f.txt"]))
def test_any_bytes_are_read_as_a_table_or_refused_with_a_reason(data: bytes, name: str) -> None:
    try:
        table = spreadsheets.read_table(name, data, max_rows=100)
    except spreadsheets.Unreadable as error:
        refusal = error.reason
    else:
        refusal = None
    if refusal is not None:
        assert refusal
        return
    assert all(isinstance(cell, str) for row in table.rows for cell in row)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@given(TABLE)
def test_any_table_gives_rows_or_problems_by_row_and_column(table) -> None:
    header, rows = table
    try:
        read = importing._read("f.csv", _csv(header, rows))
    except importing.ImportInvalid as error:  # not UTF-8 (a lone surrogate), for one
        problems = error.problems
    else:
        problems = None
    if problems is not None:
        assert problems
        return
    parsed, problems = importing._validate(read, QUESTIONS)
    assert parsed or problems or len(read) <= 1 or all(not any(r) for r in read[1:])
    for problem in problems:
        assert problem.row >= 1 and problem.message
    for row in parsed:
        assert row.reference and row.answers
        assert all(text for _, text in row.answers.values())
