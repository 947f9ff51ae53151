"""The summary of responses as documents: a standalone web page, a PDF (WeasyPrint) and
Markdown. Rendering takes the template environment it is given, so the web layer and the CLI
each pass their own."""

from __future__ import annotations

from collections.abc import Iterator

from jinja2 import Environment

from app.analysis import tallies
from app.analysis.outcome import Summary

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page); } }
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.4; color: #111; }
h1 { font-size: 20pt; } h2 { font-size: 14pt; margin-top: 1.4em; } h3 { font-size: 12pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
.annex-charts { list-style: none; padding: 0; }
.annex-charts li { margin: 4px 0; }
.visually-hidden { display: none; }
"""


def summary_document(
    s: Summary, *, templates: Environment, site_name: str, stylesheet: str | None = None
) -> str:
    """The summary as a standalone HTML document (for download, print and the PDF)."""
    template = templates.get_template("analysis/summary_document.html")
    return template.render(s=s, site_name=site_name, stylesheet=stylesheet)


def summary_pdf(s: Summary, *, templates: Environment, site_name: str) -> bytes:
    from weasyprint import CSS, HTML

    html = summary_document(s, templates=templates, site_name=site_name)
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])
    return pdf


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(s: Summary) -> Iterator[str]:
    c = s.consultation
    yield f"# {c.title}: summary of responses\n\n"
    if c.introduction:
        yield f"## Introduction\n\n{c.introduction.strip()}\n\n"
    if s.documents:
        yield "Documents:\n\n" + "".join(f"- [{d.title}]({d.url})\n" for d in s.documents) + "\n"
    channels = ", ".join(
        f"{n:,} {label}"
        for key, label in (("web", "on the site"), ("email", "by e-mail"), ("post", "by post"))
        if (n := s.by_channel.get(key, 0))
    )
    yield (
        f"## Responses\n\nWe received {s.respondents:,} responses"
        f"{': ' + channels if channels else ''}."
    )
    if s.late:
        yield f" {s.late:,} arrived after the consultation closed and were included."
    if s.campaign_answers:
        yield (
            f" {s.campaign_answers:,} answers were part of organised campaigns (the same or "
            "nearly the same text sent by many people); they are counted like any other."
        )
    yield "\n\n## Method of analysis\n\n" + s.method.strip() + "\n\n"
    if s.assurance_statement:
        yield s.assurance_statement + "\n\n"
    if s.what_we_changed:
        yield "## What we changed as a result\n\n" + s.what_we_changed.strip() + "\n\n"
    yield "## Responses to each question\n\n"
    for q in s.questions:
        yield f"### Question {q.question.position}: {q.question.text}\n\n"
        yield (
            f"There {'was' if q.answered == 1 else 'were'} {q.answered:,} "
            f"response{'' if q.answered == 1 else 's'} to this question"
        )
        yield (
            f", of which {q.campaign_answers:,} were part of a campaign.\n\n"
            if q.campaign_answers
            else ".\n\n"
        )
        if q.themes:
            yield "Main themes:\n\n"
            for n, t in enumerate(q.themes, 1):
                plural = "" if t.answers == 1 else "s"
                yield (
                    f"{n}. **{_md_escape(t.label)}**: {t.answers:,} answer{plural} "
                    f"({t.share}% of the answers to this question)"
                )
                yield f"\n   > {_md_escape(t.quotation)}\n" if t.quotation else "\n"
            yield "\n"
        if q.main_points:
            yield q.main_points.strip() + "\n\n"
        if q.what_we_changed:
            yield "What we changed: " + q.what_we_changed.strip() + "\n\n"
    yield "## Organisations that responded\n\n"
    if s.organisations:
        yield "".join(f"- {_md_escape(name)}\n" for name in s.organisations) + "\n"
    else:
        yield "No organisation that responded asked to be named.\n\n"
    yield "## Annex A\n\n"
    columns = [
        (c, tallies.CATEGORY_LABELS[c])
        for c in tallies.CATEGORIES
        if c != "unevaluated" or s.annex.has_unevaluated
    ]
    yield "| Question | " + " | ".join(label for _, label in columns) + " | Total |\n"
    yield "|---|" + "---:|" * (len(columns) + 1) + "\n"
    for row in s.annex.rows:
        cells = {c: f"{n:,} ({p}%)" for c, n, p in row.cells()}
        yield (
            f"| {row.position}. {_md_escape(row.text)} | "
            + " | ".join(cells[c] for c, _ in columns)
            + f" | {row.respondents:,} (100%) |\n"
        )
    yield (
        f"\nPercentages are of all {s.respondents:,} respondents, rounded so that each row "
        "adds up to 100 (largest remainder)."
    )
    if s.annex.declared_answers:
        yield (
            f" {s.annex.declared_answers:,} answers ({s.annex.declared_cells:,} cells) are "
            "counted by the respondent's declared stance, not an analyst's coding."
        )
    if s.annex.removed:
        yield (
            f" Includes {s.annex.removed:,} answers removed by moderators, which still "
            "count as responses."
        )
    yield "\n"
