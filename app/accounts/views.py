"""What a person's account page shows about their own account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.accounts.models import User, UserSession
from app.consultations.models import Consultation
from app.participation.models import Contribution, Kind, Response


@dataclass(frozen=True)
class AccountOverview:
    pseudonym: str
    roles: list[str]
    verification_level: str
    created_at: datetime
    active_sessions: int
    responses: list[tuple[str, str, int]]  # (consultation slug, title, answers)
    notify_replies: bool = False


def account_overview(session: Session, *, user: User) -> AccountOverview:
    sessions = session.exec(
        select(func.count())
        .select_from(UserSession)
        .where(col(UserSession.user_id) == user.id, col(UserSession.revoked_at).is_(None))
    ).one()
    rows = session.exec(
        select(Consultation.slug, Consultation.title, func.count(col(Contribution.id)))
        .join(Response, col(Response.consultation_id) == col(Consultation.id))
        .join(
            Contribution,
            (col(Contribution.response_id) == col(Response.id))
            & (col(Contribution.kind) == Kind.answer),
            isouter=True,
        )
        .where(Response.respondent_id == user.id)
        .group_by(Consultation.slug, Consultation.title)
        .order_by(Consultation.title)
    ).all()
    return AccountOverview(
        pseudonym=user.pseudonym,
        roles=sorted(r.value for r in user.role_set),
        verification_level=user.verification_level,
        created_at=user.created_at,
        active_sessions=sessions,
        responses=[(s, t, n) for s, t, n in rows],
        notify_replies=user.notify_replies,
    )
