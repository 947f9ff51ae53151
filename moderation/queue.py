"""The moderation queue and the case page.

The queue is ordered ``severity_band, priority_score DESC, first_reported_at, id`` (see
``priority``). Each state is read with its own ordered, limited scan of the index
``ix_moderation_case_queue`` and the few rows are merged (``UNION ALL``), so the first page
costs the same with 100 or 100,000 open cases: two queries, neither of which sorts the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    FromClause,
    Select,
    Subquery,
    and_,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session, col
from sqlmodel import select as sm_select

from kernel import i18n
from kernel.ids import parse_id
from moderation import evidence, hooks, posts
from moderation.cases import case_rows, get_case, reporter_ids
from moderation.errors import ClaimedByOther, InvalidTransition
from moderation.models import (
    CASE_TABLE,
    Appeal,
    Decision,
    EvidenceSnapshot,
    ModerationCase,
    PoliceReferral,
    Report,
    Sanction,
)
from moderation.reasons import Action, ReportReason, severity_band_label
from moderation.states import (
    CaseState,
    can_decide,
    can_decide_appeal,
    claim_is_active,
)
from moderation.states import (
    Decision as Verdict,
)

STATE_FILTERS: dict[str, tuple[str, ...]] = {
    "awaiting": (CaseState.open, CaseState.held),
    "open": (CaseState.open,),
    "held": (CaseState.held,),
    "appealed": (CaseState.appealed,),
    "decided": (CaseState.decided,),
    "closed": (CaseState.closed,),
}
# What each filter and each state is called on the page, in the same words (message ids:
# read in the reader's language where they are shown, ``i18n.gettext``).
STATE_LABELS = i18n.Labels(
    {
        "awaiting": i18n.N_("Waiting for a moderator (open or held)"),
        "open": i18n.N_("Open"),
        "held": i18n.N_("Held"),
        "appealed": i18n.N_("Appealed"),
        "decided": i18n.N_("Decided"),
        "closed": i18n.N_("Closed"),
    }
)
AGE_FILTERS = i18n.Labels(
    {
        "day": i18n.N_("Reported in the last day"),
        "week": i18n.N_("Reported in the last week"),
        "older": i18n.N_("Waiting more than a week"),
    }
)


@dataclass(frozen=True)
class QueueFilters:
    state: str = "awaiting"
    reason: str | None = None
    consultation_id: int | None = None
    age: str | None = None

    @classmethod
    def parse(
        cls, *, state: str | None, reason: str | None, consultation: str | None, age: str | None
    ) -> QueueFilters:
        return cls(
            state=state if state in STATE_FILTERS else "awaiting",
            reason=reason if reason in ReportReason.__members__ else None,
            consultation_id=parse_id(consultation),
            age=age if age in AGE_FILTERS else None,
        )

    def query(self) -> dict[str, str | int]:
        """The filters that are set, as the queue page's URL query parameters."""
        params: dict[str, str | int | None] = {
            "state": self.state,
            "reason": self.reason,
            "consultation": self.consultation_id,
            "age": self.age,
        }
        return {k: v for k, v in params.items() if v is not None and v != ""}


@dataclass(frozen=True)
class QueueRow:
    id: int
    state: str
    severity_band: int
    reason: str | None
    priority_score: int
    report_count: int
    first_reported_at: datetime
    consultation_title: str | None
    author_pseudonym: str
    excerpt: str
    claimed_by: str | None
    source: str

    @property
    def band_label(self) -> str:
        return severity_band_label(self.severity_band)

    @property
    def reason_label(self) -> str:
        if self.reason:
            return ReportReason(self.reason).label
        return {
            "pre": "Pre-moderation",
            "watch_hold": "Watched word (held)",
            "watch_flag": "Watched word (flagged)",
        }.get(self.source, "Automatic")


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    filters: QueueFilters
    page: int
    has_next: bool


def _order(table: FromClause) -> tuple[ColumnElement[Any], ...]:
    """The queue's order over ``table``'s columns (the case table or a merged subquery)."""
    return (
        table.c.severity_band,
        table.c.priority_score.desc(),
        table.c.first_reported_at,
        table.c.id,
    )


def _state_scan(
    state: str, *, filters: QueueFilters, wanted: int, now: datetime
) -> Select[*tuple[Any, ...]]:
    """The first ``wanted`` cases in ``state`` that pass ``filters``, in the queue's order:
    one ordered, limited scan of ``ix_moderation_case_queue``."""
    mc = CASE_TABLE
    q = select(mc.c.id, mc.c.severity_band, mc.c.priority_score, mc.c.first_reported_at).where(
        mc.c.state == state
    )
    if filters.reason:
        q = q.where(mc.c.reason == filters.reason)
    if filters.consultation_id:
        q = q.where(mc.c.consultation_id == filters.consultation_id)
    if filters.age == "day":
        q = q.where(mc.c.first_reported_at >= now - timedelta(days=1))
    elif filters.age == "week":
        q = q.where(mc.c.first_reported_at >= now - timedelta(days=7))
    elif filters.age == "older":
        q = q.where(mc.c.first_reported_at < now - timedelta(days=7))
    limited: Subquery = q.order_by(*_order(mc)).limit(wanted).subquery()
    return limited.select()


def queue_page(
    session: Session, *, filters: QueueFilters, page: int = 1, per_page: int = 50, now: datetime
) -> QueuePage:
    """One page of the queue, in two queries whatever its length."""
    page = max(1, page)
    wanted = per_page * page + 1
    parts = [
        _state_scan(state, filters=filters, wanted=wanted, now=now)
        for state in STATE_FILTERS[filters.state]
    ]
    both: CompoundSelect[*tuple[Any, ...]] | Select[*tuple[Any, ...]] = (
        union_all(*parts) if len(parts) > 1 else parts[0]
    )
    merged: Subquery = both.subquery()
    found: Sequence[int] = (
        session.execute(
            select(merged.c.id)
            .order_by(*_order(merged))
            .limit(per_page + 1)
            .offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
    has_next = len(found) > per_page
    ids = list(found[:per_page])
    return QueuePage(
        rows=_rows(session, ids, now=now), filters=filters, page=page, has_next=has_next
    )


def _rows(session: Session, ids: list[int], *, now: datetime) -> list[QueueRow]:
    if not ids:
        return []
    mc = CASE_TABLE
    c, a, k = posts.table("contribution"), posts.table("account"), posts.table("consultation")
    claimer = aliased(a)
    result = session.execute(
        select(
            mc.c.id,
            mc.c.state,
            mc.c.severity_band,
            mc.c.reason,
            mc.c.priority_score,
            mc.c.report_count,
            mc.c.first_reported_at,
            k.c.title,
            a.c.pseudonym,
            c.c.source_text,
            claimer.c.pseudonym,
            mc.c.claim_expires_at,
            mc.c.source,
        )
        .select_from(mc)
        .join(c, c.c.id == mc.c.contribution_id, isouter=True)
        .join(a, a.c.id == mc.c.author_id, isouter=True)
        .join(k, k.c.id == mc.c.consultation_id, isouter=True)
        .join(claimer, claimer.c.id == mc.c.claimed_by, isouter=True)
        .where(mc.c.id.in_(ids))
    ).all()
    by_id = {}
    for r in result:
        text = r[9] or ""
        active = r[10] is not None and r[11] is not None and r[11] > now
        by_id[r[0]] = QueueRow(
            id=r[0],
            state=r[1],
            severity_band=r[2],
            reason=r[3],
            priority_score=r[4],
            report_count=r[5],
            first_reported_at=r[6],
            consultation_title=r[7],
            author_pseudonym=r[8] or "Former participant",
            excerpt=text[:160] + ("…" if len(text) > 160 else ""),
            claimed_by=r[10] if active else None,
            source=r[12],
        )
    return [by_id[i] for i in ids if i in by_id]


# The case page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorHistory:
    pseudonym: str
    earlier_cases: int
    upheld_decisions: int
    sanctions: list[Sanction]


@dataclass
class CaseView:
    case: ModerationCase
    post: posts.Post | None
    thread: list[posts.Post]
    reports: list[Report]
    decisions: list[Decision]
    appeals: list[Appeal]
    snapshots: list[EvidenceSnapshot]
    referrals: list[PoliceReferral]
    author: AuthorHistory
    verdict: Verdict
    appeal_verdict: Verdict | None
    pending_appeal: Appeal | None
    claimed_by: str | None
    claim_is_mine: bool
    moderator_names: dict[int, str] = field(default_factory=dict)

    @property
    def band_label(self) -> str:
        return severity_band_label(self.case.severity_band)

    @property
    def reported_text(self) -> str | None:
        """The text as it was when first reported (the first snapshot)."""
        if not self.snapshots:
            return None
        text: str | None = evidence.parsed(self.snapshots[0])["post"]["text_as_shown"]
        return text

    @property
    def edited_since_report(self) -> bool:
        return (
            self.post is not None
            and self.reported_text is not None
            and self.post.source_text != self.reported_text
        )

    @property
    def can_act(self) -> bool:
        return self.case.state in (CaseState.open, CaseState.held)


def case_view(session: Session, *, case_id: int, moderator_id: int, now: datetime) -> CaseView:
    case = get_case(session, case_id)
    post = posts.find_post(session, case.contribution_id) if case.contribution_id else None
    thread = posts.thread_of(session, post) if post else []
    reports = case_rows(session, Report, case_id)
    decisions = case_rows(session, Decision, case_id)
    appeals = case_rows(session, Appeal, case_id)
    pending = next((a for a in appeals if a.outcome == "pending"), None)
    author_id = case.author_id
    earlier = upheld = 0
    sanctions: list[Sanction] = []
    if author_id is not None:
        earlier = session.execute(
            select(func.count())
            .select_from(ModerationCase)
            .where(col(ModerationCase.author_id) == author_id, col(ModerationCase.id) != case_id)
        ).scalar_one()
        upheld = session.execute(
            select(func.count())
            .select_from(Decision)
            .join(ModerationCase, col(ModerationCase.id) == Decision.case_id)
            .where(
                col(ModerationCase.author_id) == author_id,
                col(Decision.action).not_in([Action.dismiss, Action.approve]),
            )
        ).scalar_one()
        sanctions = list(
            session.exec(
                sm_select(Sanction)
                .where(Sanction.account_id == author_id)
                .order_by(col(Sanction.id).desc())
                .limit(20)
            ).all()
        )
    names = posts.pseudonyms(
        session,
        {d.moderator_id for d in decisions if d.moderator_id}
        | {a.decided_by for a in appeals if a.decided_by}
        | ({case.claimed_by} if case.claimed_by else set())
        | ({author_id} if author_id else set()),
    )
    reporters = [r.reporter_id for r in reports if r.reporter_id is not None]
    verdict = can_decide(
        moderator_id=moderator_id,
        reporter_ids=reporters,
        author_id=author_id if author_id is not None else -1,
    )
    appeal_verdict = None
    if pending is not None:
        original = next((d for d in decisions if d.id == pending.decision_id), None)
        appeal_verdict = can_decide_appeal(
            moderator_id=moderator_id,
            original_decider_id=original.moderator_id if original else -1,
            appellant_id=pending.appellant_id if pending.appellant_id is not None else -1,
            reporter_ids=reporters,
        )
        if author_id == moderator_id:
            appeal_verdict = Verdict(
                False, "You wrote this post, so another moderator must review the appeal."
            )
    active = claim_is_active(
        claimed_by=case.claimed_by, claim_expires_at=case.claim_expires_at, now=now
    )
    claimer = case.claimed_by if active else None
    return CaseView(
        case=case,
        post=post,
        thread=thread,
        reports=reports,
        decisions=decisions,
        appeals=appeals,
        snapshots=evidence.snapshots_of(session, case_id),
        referrals=case_rows(session, PoliceReferral, case_id),
        author=AuthorHistory(
            pseudonym=names.get(author_id, "Former participant")
            if author_id
            else "Former participant",
            earlier_cases=earlier,
            upheld_decisions=upheld,
            sanctions=sanctions,
        ),
        verdict=verdict,
        appeal_verdict=appeal_verdict,
        pending_appeal=pending,
        claimed_by=names.get(claimer) if claimer is not None else None,
        claim_is_mine=active and case.claimed_by == moderator_id,
        moderator_names=names,
    )


# Claims --------------------------------------------------------------------------------------


def claim(session: Session, *, case_id: int, moderator_id: int, now: datetime) -> ModerationCase:
    """Claim a case for the site's claim duration; refused while another claim runs."""
    case = get_case(session, case_id)
    if not CaseState(case.state).awaits_moderator:
        raise InvalidTransition(case.state, "claim", "This case is not waiting for a moderator.")
    if case.state == CaseState.appealed:
        view = case_view(session, case_id=case_id, moderator_id=moderator_id, now=now)
        (view.appeal_verdict or view.verdict).raise_if_refused()
    else:
        can_decide(
            moderator_id=moderator_id,
            reporter_ids=reporter_ids(session, case_id),
            author_id=case.author_id if case.author_id is not None else -1,
        ).raise_if_refused()
    until = now + hooks.settings(session).claim_duration
    mc = CASE_TABLE
    done = session.exec(
        update(mc)
        .where(
            mc.c.id == case_id,
            or_(
                mc.c.claimed_by.is_(None),
                mc.c.claimed_by == moderator_id,
                mc.c.claim_expires_at.is_(None),
                mc.c.claim_expires_at <= now,
            ),
        )
        .values(claimed_by=moderator_id, claim_expires_at=until)
    )
    if done.rowcount != 1:
        session.refresh(case)
        raise ClaimedByOther(until=case.claim_expires_at)
    hooks.audit(
        session,
        actor_id=moderator_id,
        action="moderation.claim",
        subject_type="case",
        subject_id=case_id,
        details={"until": until.isoformat()},
        now=now,
    )
    session.refresh(case)
    return case


def release(session: Session, *, case_id: int, moderator_id: int, now: datetime) -> None:
    """End this moderator's claim; recorded only if they held it (nothing else changes)."""
    mc = CASE_TABLE
    released = session.execute(
        update(mc)
        .where(and_(mc.c.id == case_id, mc.c.claimed_by == moderator_id))
        .values(claimed_by=None, claim_expires_at=None)
    )
    if released.rowcount != 1:  # type: ignore[attr-defined]
        return
    hooks.audit(
        session,
        actor_id=moderator_id,
        action="moderation.release",
        subject_type="case",
        subject_id=case_id,
        details={},
        now=now,
    )
