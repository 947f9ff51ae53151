"""Exports for organisers, streamed from their own read-only session."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from app.analysis import exports, outcome
from app.consultations.models import Consultation
from app.deps import ConsultationBySlug, OrganiserUser, require_organiser
from kernel.clock import utcnow
from kernel.errors import NotFound

# The role is checked before anything is looked up, so a draft is never "not found" to a
# visitor who should be asked to sign in.
router = APIRouter(prefix="/organise", tags=["exports"], dependencies=[Depends(require_organiser)])

SessionFactory = Callable[[], AbstractContextManager[Session]]


def export_sessions(request: Request) -> SessionFactory:
    """Streams outlive the request's session: each opens its own (tests bind it elsewhere)."""
    engine = request.app.state.engine
    return lambda: Session(engine, expire_on_commit=False)


ExportSessions = Annotated[SessionFactory, Depends(export_sessions)]

KINDS = {
    "answers.csv": "text/csv; charset=utf-8",
    "answers.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "tallies.csv": "text/csv; charset=utf-8",
    "tallies.json": "application/json",
    "summary.html": "text/html; charset=utf-8",
    "summary.md": "text/markdown; charset=utf-8",
    "summary.pdf": "application/pdf",
    "data-dictionary.md": "text/markdown; charset=utf-8",
}


def export_stream(
    sessions: SessionFactory,
    consultation_id: int,
    kind: str,
    *,
    site_name: str,
    stylesheet: str | None = None,
) -> Iterator[bytes]:
    with sessions() as session:
        consultation = session.get(Consultation, consultation_id)
        now = utcnow()
        if kind == "answers.csv":
            yield from exports.answers_csv(session, consultation=consultation, include_private=True)
        elif kind == "answers.xlsx":
            yield from exports.answers_xlsx(
                session, consultation=consultation, include_private=True
            )
        elif kind == "tallies.csv":
            yield from exports.tallies_csv(session, consultation=consultation)
        elif kind == "tallies.json":
            yield from exports.tallies_json(session, consultation=consultation, now=now)
        elif kind == "data-dictionary.md":
            yield exports.data_dictionary_md().encode()
        else:
            s = outcome.summary(session, consultation=consultation, now=now)
            if kind == "summary.md":
                for part in outcome.summary_markdown(s):
                    yield part.encode()
            elif kind == "summary.pdf":
                yield outcome.summary_pdf(s, site_name=site_name)
            else:
                yield outcome.summary_document(
                    s, site_name=site_name, stylesheet=stylesheet
                ).encode()


@router.get("/{slug}/export/{kind}", name="export")
def export(
    request: Request,
    consultation: ConsultationBySlug,
    kind: str,
    user: OrganiserUser,
    sessions: ExportSessions,
) -> StreamingResponse:
    if kind not in KINDS:
        raise NotFound("There is no such export.")
    settings = request.app.state.settings
    stream = export_stream(
        sessions,
        consultation.id,
        kind,
        site_name=settings.site_name,
        stylesheet=settings.base_url.rstrip("/") + "/static/css/reclaim.css",
    )
    filename = f"{consultation.slug}-{kind}"
    return StreamingResponse(
        stream,
        media_type=KINDS[kind],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
