"""Exports for organisers, streamed from their own read-only session."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from app.analysis import downloads
from app.deps import ConsultationBySlug, require_organiser
from kernel.hooks import session_info

# The role is checked before anything is looked up, so a draft is never "not found" to a
# visitor who should be asked to sign in.
router = APIRouter(prefix="/organise", tags=["exports"], dependencies=[Depends(require_organiser)])


def export_sessions(request: Request) -> downloads.SessionFactory:
    """Streams outlive the request's session: each opens its own (tests bind it elsewhere)."""
    engine, hooks = request.app.state.engine, request.app.state.hooks
    return lambda: Session(engine, expire_on_commit=False, info=session_info(hooks))


ExportSessions = Annotated[downloads.SessionFactory, Depends(export_sessions)]


@router.get("/{slug}/export/{kind}", name="export")
def export(
    request: Request, consultation: ConsultationBySlug, kind: str, sessions: ExportSessions
) -> StreamingResponse:
    assert consultation.id is not None, "a stored consultation"
    media_type = downloads.media_type(kind)
    stream = downloads.export_stream(
        sessions,
        consultation.id,
        kind,
        templates=request.app.state.templates,
        site_name=request.app.state.settings.site_name,
    )
    return StreamingResponse(
        stream,
        media_type=media_type,
        headers=downloads.response_headers(kind, consultation.slug),
    )
