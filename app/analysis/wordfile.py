"""The summary of responses as a Word document (python-docx), for departments that edit the
summary in Word before publishing it.

Real headings (Word's Heading 1–3 styles, so the navigation pane and a table of contents work),
lists as Word lists, Annex A as Word tables (the main table and one per split and group, with
the same figures as every other export: they come from the same ``tallies.annex_a``), each
question's chart as an image with its figures in words as the image's description, and the
organisations that agreed to be named. python-docx is imported only when a document is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from app.analysis import summary_text as words
from app.analysis import tallies
from app.analysis.charts import stacked_bar_png
from app.analysis.outcome import Summary
from app.analysis.presentation import annex_columns
from kernel import localtime

CHART_WIDTH_CM = 15.0


def _paragraphs(document: Any, text: str) -> None:
    """Markdown written by organisers, as plain paragraphs (one per blank-line block)."""
    for block in (text or "").strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith(("- ", "* ")) for line in lines):
            for line in lines:
                document.add_paragraph(line[2:].strip(), style="List Bullet")
        else:
            document.add_paragraph(" ".join(line.lstrip("#").strip() for line in lines))


def _cell_text(count: int, pct: int) -> str:
    return f"{count:,} ({pct}%)"


def annex_table(document: Any, table: tallies.TallyTable) -> Any:
    """One Annex A table: a header row, then a row per question (count and percentage)."""
    columns = annex_columns(table)
    word = document.add_table(rows=1, cols=len(columns) + 2)
    word.style = "Table Grid"
    header = word.rows[0].cells
    header[0].text = "Question"
    for i, (_, label) in enumerate(columns, start=1):
        header[i].text = label
    header[-1].text = "Total"
    for cell in header:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(word.rows[0])
    wanted = {key for key, _ in columns}
    for row in table.rows:
        cells = word.add_row().cells
        cells[0].text = f"{row.position}. {row.text}"
        shown = [(c, n, p) for c, n, p in row.cells() if c in wanted]
        for i, (_, count, pct) in enumerate(shown, start=1):
            cells[i].text = _cell_text(count, pct)
        cells[-1].text = f"{row.respondents:,} (100%)"
    return word


def _repeat_header(row: Any) -> None:
    """Mark a table's first row as a header row (repeated on each page, read as headers)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _chart(document: Any, row: tallies.TallyRow) -> None:
    from docx.shared import Cm

    segments = [
        (c, tallies.CATEGORY_LABELS[c], n)
        for c, n in zip(tallies.CATEGORIES, row.counts, strict=True)
    ]
    words = "; ".join(f"{tallies.CATEGORY_LABELS[c]} {n:,} ({p}%)" for c, n, p in row.cells() if n)
    document.add_paragraph(f"Question {row.position}", style="Caption")
    document.add_picture(BytesIO(stacked_bar_png(segments)), width=Cm(CHART_WIDTH_CM))
    picture = document.inline_shapes[-1]
    picture._inline.docPr.set(
        "descr",
        f"Question {row.position}: how the {row.respondents:,} respondents answered: {words}.",
    )


def _questions(document: Any, s: Summary) -> None:
    document.add_heading("Responses to each question", level=1)
    for q in s.questions:
        document.add_heading(f"Question {q.question.position}: {q.question.text}", level=2)
        document.add_paragraph(" ".join(words.question_sentences(q)))
        if q.themes:
            document.add_heading("Main themes", level=3)
            for t in q.themes:
                item = document.add_paragraph(style="List Number")
                item.add_run(t.label).bold = True
                item.add_run(": " + words.theme_sentence(t.answers, t.share))
                if t.quotation:
                    quote = document.add_paragraph(style="Quote")
                    quote.add_run(f"“{t.quotation}”")
        _paragraphs(document, q.main_points)
        if q.what_we_changed:
            document.add_heading("What we changed", level=3)
            _paragraphs(document, q.what_we_changed)


def _annex(document: Any, s: Summary, splits: Sequence[tallies.AnnexA]) -> None:
    document.add_heading("Annex A", level=1)
    annex_table(document, s.annex)
    for note in words.annex_notes(s.annex):
        document.add_paragraph(note)
    document.add_heading("Charts", level=2)
    for row in s.annex.rows:
        _chart(document, row)
    for annex in splits:
        if annex.split is tallies.Split.all:
            continue
        document.add_heading(f"Annex A by group: {annex.split.label}", level=2)
        for table in annex.tables:
            document.add_heading(f"{table.label}: {table.respondents:,} respondents", level=3)
            annex_table(document, table)


def summary_docx(s: Summary, *, site_name: str, splits: Sequence[tallies.AnnexA] = ()) -> bytes:
    """The summary as a .docx file (``splits``: Annex A by each split, for the group tables)."""
    from docx import Document

    c = s.consultation
    document = Document()
    document.core_properties.title = f"{c.title}: summary of responses"
    document.core_properties.author = site_name
    document.add_heading(f"{c.title}: summary of responses", level=0)
    document.add_paragraph(
        f"{site_name}. Consultation open from {localtime.current().date(c.opens_at)} to "
        f"{localtime.current().date(c.effective_closes_at)}."
    )
    if c.introduction:
        document.add_heading("Introduction", level=1)
        _paragraphs(document, c.introduction)
        for d in s.documents:
            document.add_paragraph(f"{d.title}: {d.url}", style="List Bullet")
    document.add_heading("Responses", level=1)
    document.add_paragraph(" ".join(words.responses_sentences(s)))
    document.add_heading("Method of analysis", level=1)
    _paragraphs(document, s.method)
    document.add_paragraph(" ".join(words.coding_sentences(s)))
    if s.assurance_statement:
        document.add_paragraph(s.assurance_statement)
    if s.what_we_changed:
        document.add_heading("What we changed as a result", level=1)
        _paragraphs(document, s.what_we_changed)
    _questions(document, s)
    document.add_heading("Organisations that responded", level=1)
    organisations = words.organisation_sentences(s)
    document.add_paragraph(organisations.lead)
    for name in organisations.names:
        document.add_paragraph(name, style="List Bullet")
    if organisations.after:
        document.add_paragraph(organisations.after)
    _annex(document, s, splits)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
