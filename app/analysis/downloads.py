"""Every export an organiser can download, by file name: answers (CSV, XLSX), Annex A tallies
(CSV, JSON), the summary of responses (web page, Markdown, PDF, Word) and the data
dictionary.

Each is produced as a stream of bytes from a session of its own, so a long export holds no
request open and its memory stays flat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from jinja2 import Environment
from sqlmodel import Session

from app.analysis import documents, exports, outcome, tallies, wordfile
from app.consultations.models import Consultation
from kernel import i18n
from kernel.clock import utcnow
from kernel.errors import NotFound

SessionFactory = Callable[[], AbstractContextManager[Session]]

MEDIA_TYPES = {
    "answers.csv": "text/csv; charset=utf-8",
    "answers.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "tallies.csv": "text/csv; charset=utf-8",
    "tallies.json": "application/json",
    "summary.html": "text/html; charset=utf-8",
    "summary.md": "text/markdown; charset=utf-8",
    "summary.pdf": "application/pdf",
    "summary.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "data-dictionary.md": "text/markdown; charset=utf-8",
}


# Documents that open in the browser (a summary to read, print or save); the data files are
# downloaded.
INLINE = {"summary.html", "summary.pdf"}


def response_headers(kind: str, slug: str) -> dict[str, str]:
    """The headers of an export: how it is offered (shown, or saved under its file name) and,
    for the web page, a Content-Security-Policy that lets its own inline stylesheet apply and
    nothing else run."""
    disposition = "inline" if kind in INLINE else "attachment"
    headers = {
        "Content-Disposition": f'{disposition}; filename="{slug}-{kind}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if kind == "summary.html":
        headers["Content-Security-Policy"] = (
            f"default-src 'none'; style-src {documents.document_style_hash()}; img-src data:; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        )
    return headers


def media_type(kind: str) -> str:
    """The media type of an export, or ``NotFound`` for a name that is not one."""
    try:
        return MEDIA_TYPES[kind]
    except KeyError:
        raise NotFound(i18n._("There is no such export.")) from None


def export_stream(
    sessions: SessionFactory,
    consultation_id: int,
    kind: str,
    *,
    templates: Environment,
    site_name: str,
) -> Iterator[bytes]:
    """The bytes of one export (``kind`` is a key of ``MEDIA_TYPES``), read in its own session."""
    media_type(kind)
    with sessions() as session:
        consultation = session.get(Consultation, consultation_id)
        if consultation is None:
            raise NotFound(i18n._("There is no such consultation."))
        now = utcnow()
        if kind in ("answers.csv", "answers.xlsx"):
            write = exports.answers_csv if kind == "answers.csv" else exports.answers_xlsx
            yield from write(session, consultation=consultation, include_private=True)
        elif kind == "tallies.csv":
            yield from exports.tallies_csv(session, consultation=consultation)
        elif kind == "tallies.json":
            yield from exports.tallies_json(session, consultation=consultation, now=now)
        elif kind == "data-dictionary.md":
            yield exports.data_dictionary_md().encode()
        else:
            summary = outcome.summary(session, consultation=consultation, now=now)
            if kind == "summary.md":
                for part in documents.summary_markdown(summary):
                    yield part.encode()
            elif kind == "summary.pdf":
                yield documents.summary_pdf(summary, templates=templates, site_name=site_name)
            elif kind == "summary.docx":
                yield summary_docx(session, summary, site_name=site_name)
            else:
                yield documents.summary_document(
                    summary, templates=templates, site_name=site_name
                ).encode()


def summary_docx(session: Session, summary: outcome.Summary, *, site_name: str) -> bytes:
    """The Word summary, with Annex A by every split (the same ``annex_a`` as every export)."""
    questions = [q.question for q in summary.questions]
    splits = [
        tallies.annex_a(
            session, consultation=summary.consultation, split=split, questions=questions
        )
        for split in tallies.Split
    ]
    return wordfile.summary_docx(summary, site_name=site_name, splits=splits)
