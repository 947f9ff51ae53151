"""The public transparency figures, all aggregated in SQL.

Times to decision use the nearest-rank percentile over ``seconds_to_decision`` (stored with
each decision), computed with window functions so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import case, func, select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from moderation import hooks
from moderation.models import Appeal, Decision, PoliceReferral, Report
from moderation.reasons import SEVERITY_BANDS, Action, ReportReason, severity_band_label

_Value = TypeVar("_Value")


@dataclass(frozen=True)
class BandTimes:
    band: int
    label: str
    decisions: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class Transparency:
    reports_by_reason: list[tuple[str, str, int]]
    actions_by_type: list[tuple[str, str, int]]
    actions_by_basis: dict[str, int]
    times: list[BandTimes]
    appeals: int
    appeals_upheld: int
    referrals: int
    disclosures: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {
            "reports_by_reason": {k: n for k, _, n in self.reports_by_reason},
            "actions_by_type": {k: n for k, _, n in self.actions_by_type},
            "actions_by_basis": self.actions_by_basis,
            "time_to_decision_hours": {
                str(t.band): {
                    "label": t.label,
                    "decisions": t.decisions,
                    "median": t.median_hours,
                    "p90": t.p90_hours,
                }
                for t in self.times
            },
            "appeals": {"lodged": self.appeals, "upheld": self.appeals_upheld},
            "police_referrals": self.referrals,
            "identity_disclosures_by_reason": self.disclosures,
        }


def _percentiles(session: Session) -> dict[int, tuple[int, float | None, float | None]]:
    first = (
        select(
            col(Decision.severity_band),
            col(Decision.seconds_to_decision),
            col(Decision.id).label("id"),
        )
        .where(col(Decision.appeal_id).is_(None), col(Decision.seconds_to_decision).is_not(None))
        .subquery()
    )
    ranked = select(
        first.c.severity_band,
        first.c.seconds_to_decision,
        func.row_number()
        .over(
            partition_by=first.c.severity_band, order_by=(first.c.seconds_to_decision, first.c.id)
        )
        .label("rn"),
        func.count().over(partition_by=first.c.severity_band).label("n"),
    ).subquery()
    # nearest rank: ceil(p * n) == the smallest rank r with r * 100 >= p * n
    rows = session.execute(
        select(
            ranked.c.severity_band,
            func.max(ranked.c.n),
            func.min(case((ranked.c.rn * 100 >= ranked.c.n * 50, ranked.c.seconds_to_decision))),
            func.min(case((ranked.c.rn * 100 >= ranked.c.n * 90, ranked.c.seconds_to_decision))),
        ).group_by(ranked.c.severity_band)
    ).all()
    return {band: (n, p50, p90) for band, n, p50, p90 in rows}


def _counts(session: Session, column: Mapped[_Value]) -> dict[_Value, int]:
    """How many rows there are for each value of ``column``."""
    return dict(session.execute(select(column, func.count()).group_by(column)).all())


def figures(session: Session) -> Transparency:
    by_reason = _counts(session, col(Report.reason))
    by_action = _counts(session, col(Decision.action))
    by_basis = _counts(session, col(Decision.basis_kind))
    appeals, upheld = session.execute(
        select(
            func.count(), func.sum(case((col(Appeal.outcome) == "upheld", 1), else_=0))
        ).select_from(Appeal)
    ).one()
    referrals = session.execute(select(func.count()).select_from(PoliceReferral)).scalar_one()
    pct = _percentiles(session)
    times = []
    for band in SEVERITY_BANDS:
        n, p50, p90 = pct.get(band, (0, None, None))
        times.append(
            BandTimes(
                band,
                severity_band_label(band),
                n,
                round(p50 / 3600, 1) if p50 is not None else None,
                round(p90 / 3600, 1) if p90 is not None else None,
            )
        )
    return Transparency(
        reports_by_reason=[(r.value, r.label, by_reason.get(r.value, 0)) for r in ReportReason],
        actions_by_type=[(a.value, a.label, by_action.get(a.value, 0)) for a in Action],
        actions_by_basis={
            "law": by_basis.get("law", 0),
            "site_rules": by_basis.get("site_rules", 0),
        },
        times=times,
        appeals=int(appeals or 0),
        appeals_upheld=int(upheld or 0),
        referrals=int(referrals or 0),
        disclosures=dict(hooks.disclosure_counts(session)),
    )
