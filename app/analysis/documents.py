"""The summary of responses as documents: a standalone web page, a PDF (WeasyPrint) and
Markdown. Rendering takes the template environment it is given, so the web layer and the CLI
each pass their own."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator

from jinja2 import Environment

from app.analysis import summary_text as words
from app.analysis import tallies
from app.analysis.outcome import Summary
from app.analysis.presentation import annex_columns

# The document's own stylesheet, inlined, so that a saved copy of the web page looks the same
# anywhere and the PDF is laid out from the same rules. Each chart is kept whole on one page.
DOCUMENT_CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page); } }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.45;
  color: #111; max-width: 50rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 20pt; line-height: 1.2; } h2 { font-size: 14pt; margin-top: 1.4em; }
h3 { font-size: 12pt; } h4 { font-size: 11pt; }
a { color: #1d4f91; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; break-inside: auto; }
tr { break-inside: avoid; }
th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
.annex-declared { font-size: 7pt; }
.annex-notes p { margin: 4px 0; font-size: 9pt; }
.annex-legend__item { margin-right: 12px; white-space: nowrap; }
.annex-chart { margin: 6px 0 12px; break-inside: avoid; page-break-inside: avoid; }
.annex-chart__caption { font-weight: bold; }
.annex-chart svg { display: block; max-width: 100%; height: auto; margin: 3px 0; }
.annex-chart__figures { margin: 2px 0 0; font-size: 9pt; }
.organisation-list { columns: 2; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
@media print { body { max-width: none; padding: 0; } a { color: #111; }
  .visually-hidden { display: none; } }
"""


def document_style_hash() -> str:
    """The Content-Security-Policy source that allows the document's inline stylesheet."""
    digest = hashlib.sha256(DOCUMENT_CSS.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def summary_document(s: Summary, *, templates: Environment, site_name: str) -> str:
    """The summary as one standalone HTML document (its stylesheet inside): for the browser,
    for saving, for print, and for the PDF."""
    template = templates.get_template("analysis/summary_document.html")
    return template.render(s=s, site_name=site_name, stylesheet=DOCUMENT_CSS)


def summary_pdf(s: Summary, *, templates: Environment, site_name: str) -> bytes:
    from weasyprint import HTML

    html = summary_document(s, templates=templates, site_name=site_name)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _paragraph(sentences: list[str]) -> str:
    return " ".join(sentences) + "\n\n"


def summary_markdown(s: Summary) -> Iterator[str]:
    """The summary as Markdown: the same sentences as the web page (``summary_text``)."""
    c = s.consultation
    yield f"# {c.title}: summary of responses\n\n"
    if c.introduction:
        yield f"## Introduction\n\n{c.introduction.strip()}\n\n"
    if s.documents:
        yield "Documents:\n\n" + "".join(f"- [{d.title}]({d.url})\n" for d in s.documents) + "\n"
    yield "## Responses\n\n" + _paragraph(words.responses_sentences(s))
    yield "## Method of analysis\n\n" + s.method.strip() + "\n\n"
    yield _paragraph(words.coding_sentences(s))
    if s.assurance_statement:
        yield s.assurance_statement + "\n\n"
    if s.what_we_changed:
        yield "## What we changed as a result\n\n" + s.what_we_changed.strip() + "\n\n"
    yield "## Responses to each question\n\n"
    for q in s.questions:
        yield f"### Question {q.question.position}: {q.question.text}\n\n"
        yield _paragraph(words.question_sentences(q))
        if q.themes:
            yield "Main themes:\n\n"
            for n, t in enumerate(q.themes, 1):
                counted = words.theme_sentence(t.answers, t.share)
                yield f"{n}. **{_md_escape(t.label)}**: {counted}"
                yield f"\n   > {_md_escape(t.quotation)}\n" if t.quotation else "\n"
            yield "\n"
        if q.main_points:
            yield q.main_points.strip() + "\n\n"
        if q.what_we_changed:
            yield "What we changed: " + q.what_we_changed.strip() + "\n\n"
    yield "## Organisations that responded\n\n"
    orgs = words.organisation_sentences(s)
    yield orgs.lead + "\n\n"
    if orgs.names:
        yield "".join(f"- {_md_escape(name)}\n" for name in orgs.names) + "\n"
    if orgs.after:
        yield orgs.after + "\n\n"
    yield "## Annex A\n\n"
    yield from annex_markdown(s.annex)


def annex_markdown(table: tallies.TallyTable) -> Iterator[str]:
    """One Annex A table in Markdown, with its marks (d: rests on declared stances) and the
    notes that the web page has under it."""
    columns = [(key, label) for key, label in annex_columns(table)]
    yield "| Question | " + " | ".join(label for _, label in columns) + " | Total |\n"
    yield "|---|" + "---:|" * (len(columns) + 1) + "\n"
    for row in table.rows:
        cells = {
            key: f"{n:,} ({p}%)" + (" *d*" if row.declared.get(key) else "")
            for key, n, p in row.cells()
        }
        yield (
            f"| {row.position}. {_md_escape(row.text)} | "
            + " | ".join(cells[key] for key, _ in columns)
            + f" | {row.respondents:,} (100%) |\n"
        )
    yield "\n" + "".join(f"{note}\n\n" for note in words.annex_notes(table))
