"""What organisers see of their consultations: the list, the status of each, and the values of
the edit form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.consultations.models import (
    Consultation,
    ConsultationDocument,
)
from app.participation.models import Response
from kernel import localtime, paging


def format_documents(documents: list[ConsultationDocument]) -> str:
    return "\n".join(f"{d.title} | {d.url}" for d in documents)


def documents_of(session: Session, consultation: Consultation) -> list[ConsultationDocument]:
    return list(
        session.exec(
            select(ConsultationDocument)
            .where(ConsultationDocument.consultation_id == consultation.id)
            .order_by(col(ConsultationDocument.position))
        )
    )


@dataclass(frozen=True)
class ConsultationLine:
    consultation: Consultation
    status: str
    respondents: int


@dataclass(frozen=True)
class ConsultationList:
    items: list[ConsultationLine]
    page: int
    pages: int


def status_of(consultation: Consultation, now: datetime) -> str:
    return consultation.phase_at(now).value if consultation.is_published else "draft"


def consultation_list(
    session: Session, *, page: int, per_page: int, now: datetime
) -> ConsultationList:
    total = session.exec(select(func.count()).select_from(Consultation)).one()
    page, pages = paging.clamp(page, total=total, per_page=per_page)
    respondents = (
        select(func.count())
        .select_from(Response)
        .where(Response.consultation_id == Consultation.id)
        .scalar_subquery()
    )
    rows = session.exec(
        select(Consultation, respondents)
        .order_by(col(Consultation.created_at).desc(), col(Consultation.id).desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return ConsultationList(
        items=[ConsultationLine(c, status_of(c, now), n) for c, n in rows], page=page, pages=pages
    )


def consultation_values(
    consultation: Consultation, documents: list[ConsultationDocument]
) -> dict[str, str]:
    """The edit form's values for an existing consultation."""
    return {
        "theme_id": str(consultation.theme_id),
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "introduction": consultation.introduction,
        "documents": format_documents(documents),
        "opens_at": localtime.current().input_value(consultation.opens_at),
        "closes_at": localtime.current().input_value(consultation.closes_at),
        "moderation_mode": consultation.moderation_mode,
        "required_level": consultation.required_level,
        "organiser_name": consultation.organiser_name,
        "contact_email": consultation.contact_email,
        "postal_address": consultation.postal_address,
        "title_cy": consultation.title_cy,
        "summary_cy": consultation.summary_cy,
        "introduction_cy": consultation.introduction_cy,
        "content_note": consultation.content_note,
        "content_note_cy": consultation.content_note_cy,
    }
