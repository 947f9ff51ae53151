"""What every service does with a case: find it, read its rows, list who reported it, and move
it to a new state.

A case moves with ``UPDATE … WHERE id = :id AND version = :seen`` (``move_case``). Of two
moderators acting at the same moment the database lets one update the row; the other's update
matches nothing (PostgreSQL re-reads the row after the first commits), and the caller refuses
it. Every move raises ``version``, so a moderator's stale view of the case is refused too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from kernel import i18n
from kernel.errors import NotFound
from moderation.models import CASE_TABLE, CaseRow, ModerationCase, Report
from moderation.states import CaseState


def get_case(session: Session, case_id: int) -> ModerationCase:
    case = session.get(ModerationCase, case_id)
    if case is None:
        raise NotFound(i18n._("There is no such case."))
    return case


def case_rows(session: Session, model: type[CaseRow], case_id: int) -> list[CaseRow]:
    """A case's rows in one of its tables, in the order they were made."""
    return list(
        session.exec(
            select(model).where(col(model.case_id) == case_id).order_by(col(model.id))
        ).all()
    )


def reporter_ids(session: Session, case_id: int) -> list[int]:
    return [
        r
        for r in session.exec(select(Report.reporter_id).where(Report.case_id == case_id)).all()
        if r is not None
    ]


def move_case(
    session: Session,
    *,
    case_id: int,
    version: int,
    state: CaseState,
    only_from: CaseState | None = None,
    decided_at: datetime | None = None,
    release_claim: bool = False,
) -> bool:
    """Move the case to ``state`` if it is still at ``version`` (and in ``only_from``, when
    given), raising its version; whether it moved. ``decided_at`` records a decision;
    ``release_claim`` ends any moderator's claim on it."""
    mc = CASE_TABLE
    criteria = [mc.c.id == case_id, mc.c.version == version]
    if only_from is not None:
        criteria.append(mc.c.state == only_from)
    values: dict[str, object] = {"state": state.value, "version": version + 1}
    if decided_at is not None:
        values["decided_at"] = decided_at
    if release_claim:
        values.update(claimed_by=None, claim_expires_at=None)
    moved = session.exec(update(mc).where(*criteria).values(values))
    return moved.rowcount == 1


def consultations_with_cases(session: Session) -> list[tuple[int, str]]:
    """The consultations that have a moderation case, by title (for the queue's filter)."""
    from moderation.posts import table

    k = table("consultation")
    rows = session.execute(
        select(k.c.id, k.c.title)
        .where(k.c.id.in_(select(CASE_TABLE.c.consultation_id).distinct()))
        .order_by(k.c.title, k.c.id)
    ).all()
    return [(row.id, row.title) for row in rows]
