"""How much is waiting for moderators: cases awaiting a decision, by severity band (for the
operator's metrics; the queue itself is ``queue``)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from moderation.models import CASE_TABLE
from moderation.reasons import SEVERITY_BANDS
from moderation.states import CaseState

AWAITING = tuple(state.value for state in CaseState if state.awaits_moderator)


def waiting_by_band(session: Session) -> dict[int, int]:
    """Cases a moderator's queue shows (open, held, appealed), per severity band; every band
    is present, with 0 when nothing waits in it."""
    rows = session.execute(
        select(CASE_TABLE.c.severity_band, func.count())
        .where(CASE_TABLE.c.state.in_(AWAITING))
        .group_by(CASE_TABLE.c.severity_band)
    ).all()
    counts = dict.fromkeys(SEVERITY_BANDS, 0)
    counts.update({int(band): int(count) for band, count in rows})
    return counts
