"""Reading disclosure requests: the custodians' list and one request, what a person is told
about disclosures of their own identity, and the transparency figures. Nothing here reads the
vault: pseudonyms and categories only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from app.accounts.models import User
from app.identity.models import REASON_LABELS, Disclosure, DisclosureReason, DisclosureStatus
from kernel import i18n
from kernel.errors import NotFound

PER_PAGE = 25


@dataclass(frozen=True)
class DisclosureRow:
    id: int
    subject: str | None
    requested_by: str
    decided_by: str | None
    requested_by_id: int
    reason_category: str
    reason_label: str
    reason: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str
    view_expires_at: datetime | None
    viewed_at: datetime | None
    notice_delayed_until: datetime | None
    case_id: int | None = None
    referral_id: int | None = None


def _rows_query() -> Select[Disclosure, str | None, str, str | None]:
    subject, requester, decider = aliased(User), aliased(User), aliased(User)
    return (
        select(Disclosure, subject.pseudonym, requester.pseudonym, decider.pseudonym)
        .join(requester, col(requester.id) == col(Disclosure.requested_by_id))
        .outerjoin(subject, col(subject.id) == col(Disclosure.subject_user_id))
        .outerjoin(decider, col(decider.id) == col(Disclosure.decided_by_id))
    )


def _row(d: Disclosure, subject: str | None, requester: str, decider: str | None) -> DisclosureRow:
    assert d.id is not None, "read from the database"
    return DisclosureRow(
        id=d.id,
        subject=subject,
        requested_by=requester,
        decided_by=decider,
        requested_by_id=d.requested_by_id,
        reason_category=d.reason_category,
        reason_label=REASON_LABELS[DisclosureReason(d.reason_category)],
        reason=d.reason,
        status=d.status,
        requested_at=d.requested_at,
        decided_at=d.decided_at,
        decision_note=d.decision_note,
        view_expires_at=d.view_expires_at,
        viewed_at=d.viewed_at,
        notice_delayed_until=d.notice_delayed_until,
        case_id=d.case_id,
        referral_id=d.referral_id,
    )


@dataclass(frozen=True)
class DisclosurePage:
    rows: list[DisclosureRow]
    page: int
    has_next: bool


def list_disclosures(
    session: Session, *, page: int = 1, per_page: int = PER_PAGE
) -> DisclosurePage:
    """Newest first, one query per page (pending ones first)."""
    page = max(1, page)
    pending_first = case((col(Disclosure.status) == DisclosureStatus.pending, 0), else_=1)
    rows = session.exec(
        _rows_query()
        .order_by(pending_first, col(Disclosure.requested_at).desc(), col(Disclosure.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    return DisclosurePage(
        rows=[_row(*r) for r in rows[:per_page]], page=page, has_next=len(rows) > per_page
    )


def get_disclosure(session: Session, disclosure_id: int) -> DisclosureRow:
    row = session.exec(_rows_query().where(Disclosure.id == disclosure_id)).first()
    if row is None:
        raise NotFound(i18n._("There is no such disclosure request."))
    return _row(*row)


@dataclass(frozen=True)
class OwnDisclosure:
    disclosed_at: datetime
    reason_label: str


def own_disclosures(session: Session, *, user: User, now: datetime) -> list[OwnDisclosure]:
    """When the person's identity was disclosed and why (category only), unless a police
    referral asked to delay telling them and the delay has not ended."""
    rows = session.exec(
        select(Disclosure.decided_at, Disclosure.reason_category)
        .where(
            Disclosure.subject_user_id == user.id,
            col(Disclosure.status).in_([DisclosureStatus.approved, DisclosureStatus.viewed]),
            col(Disclosure.notice_delayed_until).is_(None)
            | (col(Disclosure.notice_delayed_until) <= now),
        )
        .order_by(col(Disclosure.decided_at).desc())
    ).all()
    return [
        OwnDisclosure(disclosed_at=at, reason_label=REASON_LABELS[DisclosureReason(cat)])
        for at, cat in rows
        if at is not None  # always: an approved request has its decision's time
    ]


@dataclass(frozen=True)
class DisclosureFigure:
    reason_label: str
    requested: int
    approved: int
    refused: int


def transparency_figures(session: Session) -> list[DisclosureFigure]:
    """Disclosure requests by reason, with how many were approved and refused (one GROUP BY)."""
    approved = func.sum(
        case(
            (col(Disclosure.status).in_([DisclosureStatus.approved, DisclosureStatus.viewed]), 1),
            else_=0,
        )
    )
    refused = func.sum(case((col(Disclosure.status) == DisclosureStatus.refused, 1), else_=0))
    rows = session.exec(
        select(Disclosure.reason_category, func.count(), approved, refused).group_by(
            Disclosure.reason_category
        )
    ).all()
    found = {cat: (n, int(a or 0), int(r or 0)) for cat, n, a, r in rows}
    return [
        DisclosureFigure(i18n.gettext(label), *found.get(reason.value, (0, 0, 0)))
        for reason, label in REASON_LABELS.items()  # .items() does not translate: gettext
    ]


def approved_counts(session: Session) -> dict[str, int]:
    """Identities disclosed, by reason (for the transparency figures' JSON)."""
    return {
        figure.reason_label: figure.approved
        for figure in transparency_figures(session)
        if figure.approved
    }
