"""Reporting a post: one case per post, a receipt with an unguessable reference, the score.

``report_post`` opens the post's case on the first report (with an evidence snapshot) or adds
to it; each report changes the case (its ``version`` rises), re-ranks it by its most severe
reason and by the standing of its distinct reporters, and may hide the post pending review
when enough established reporters agree (``priority.auto_hide_allowed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case as sql_case
from sqlalchemy import func
from sqlmodel import Session, col, select

from kernel import i18n, paging, references
from kernel.errors import FormInvalid, NotFound
from kernel.rows import lock_row
from kernel.text import clean
from moderation import evidence, hooks, notices, posts
from moderation.cases import get_case
from moderation.errors import AlreadyReported, OwnPost
from moderation.models import Appeal, Decision, ModerationCase, Report, saved_id
from moderation.priority import ReporterStanding, auto_hide_allowed, case_score, score_to_int
from moderation.reasons import BAND_SITE_RULES, Action, ReportReason, most_severe
from moderation.states import (
    CaseState,
    HoldApplied,
    ReportAdded,
    appeal_window_open,
    initial_state,
    next_state,
)

NOTE_MAX = 2000
REFERENCE_PREFIX = "R-"


def new_reference() -> str:
    """An unguessable case reference for the reporter's receipt, easy to read out: four groups
    of four symbols with no look-alikes (about 71 random bits), ``R-7KQM-4XPA-9TCH``."""
    return references.new_reference(REFERENCE_PREFIX)


def find_case_for_post(
    session: Session, post_id: int, *, lock: bool = False
) -> ModerationCase | None:
    query = select(ModerationCase).where(ModerationCase.contribution_id == post_id)
    if lock:
        query = query.with_for_update()
    return session.exec(query).first()


def open_case(
    session: Session,
    *,
    post: posts.Post,
    held: bool,
    source: str,
    reason: ReportReason | None,
    now: datetime,
) -> ModerationCase:
    case = ModerationCase(
        contribution_id=post.id,
        consultation_id=post.consultation_id,
        author_id=post.author_id,
        state=initial_state(held=held),
        reason=reason.value if reason else None,
        severity_band=reason.severity_band if reason else BAND_SITE_RULES,
        priority_score=0,
        source=source,
        automation_involved=source.startswith("watch"),
        first_reported_at=now,
        last_reported_at=now,
        report_count=0,
        version=1,
        created_at=now,
    )
    session.add(case)
    session.flush()
    evidence.capture(
        session,
        case=case,
        post=post,
        trigger="first_report" if source == "report" else source,
        now=now,
    )
    return case


def standings(session: Session, *, case_id: int, now: datetime) -> list[ReporterStanding]:
    """The distinct reporters of a case with their record, in two grouped queries."""
    reporter_ids = {
        rid
        for rid in session.exec(
            select(Report.reporter_id).where(
                Report.case_id == case_id, col(Report.reporter_id).is_not(None)
            )
        ).all()
        if rid is not None
    }
    if not reporter_ids:
        return []
    record = {
        rid: (int(up or 0), int(down or 0))
        for rid, up, down in session.exec(
            select(
                Report.reporter_id,
                func.sum(sql_case((col(Report.outcome) == "upheld", 1), else_=0)),
                func.sum(sql_case((col(Report.outcome) == "dismissed", 1), else_=0)),
            )
            .where(col(Report.reporter_id).in_(reporter_ids))
            .group_by(col(Report.reporter_id))
        ).all()
    }
    created = posts.account_created(session, reporter_ids)
    out = []
    for rid in sorted(reporter_ids):
        age = max(0.0, (now - created[rid]).total_seconds() / 86400) if rid in created else 0.0
        upheld, dismissed = record.get(rid, (0, 0))
        out.append(
            ReporterStanding(
                account_age_days=age, upheld=upheld, dismissed=dismissed, reporter_id=rid
            )
        )
    return out


def _validate(reason: str | None, note: str | None) -> tuple[ReportReason, str]:
    errors = {}
    try:
        parsed = ReportReason(reason or "")
    except ValueError:
        parsed = None
        errors["reason"] = i18n._("Choose the reason that fits best.")
    note = clean(note)
    if len(note) > NOTE_MAX:
        errors["note"] = i18n._(
            "Keep the note to {NOTE_MAX:,} characters or fewer.", NOTE_MAX=NOTE_MAX
        )
    if parsed == ReportReason.other and not note:
        errors["note"] = i18n._("Say which rule the post breaks.")
    if errors or parsed is None:  # no reason means an error above
        raise FormInvalid(errors)
    return parsed, note


def report_post(
    session: Session,
    *,
    post_id: int,
    reporter_id: int,
    reason: str | None,
    about_me: bool,
    note: str | None,
    now: datetime,
) -> Report:
    """Record a report and return it (its ``reference`` is the reporter's receipt)."""
    post = posts.get_public_post(session, post_id)
    if post.author_id == reporter_id:
        raise OwnPost()
    parsed, note = _validate(reason, note)
    # Reports of one post wait for each other here, so two first reports at once open one
    # case, and a report sent twice is refused as a second report.
    lock_row(session, posts.table("contribution"), post_id)
    case = find_case_for_post(session, post_id, lock=True)
    if case is None:
        case = open_case(
            session,
            post=post,
            held=post.state == posts.HELD,
            source="report",
            reason=parsed,
            now=now,
        )
    elif session.exec(
        select(Report.id).where(Report.case_id == case.id, Report.reporter_id == reporter_id)
    ).first():
        raise AlreadyReported()
    report = Report(
        reference=new_reference(),
        case_id=saved_id(case),
        reporter_id=reporter_id,
        reason=parsed.value,
        is_about_reporter=about_me,
        note=note,
        created_at=now,
    )
    session.add(report)
    session.flush()
    _rerank(session, case=case, post=post, now=now)
    return report


def _rerank(session: Session, *, case: ModerationCase, post: posts.Post, now: datetime) -> None:
    case_id = saved_id(case)
    reasons = [
        ReportReason(r)
        for r in session.exec(
            select(Report.reason).where(Report.case_id == case_id).distinct()
        ).all()
    ]
    worst = most_severe(reasons)
    reporters = standings(session, case_id=case_id, now=now)
    case.state = next_state(CaseState(case.state), ReportAdded())
    case.reason, case.severity_band = worst.value, worst.severity_band
    case.priority_score = score_to_int(case_score(r.weight for r in reporters))
    case.report_count = session.exec(
        select(func.count()).select_from(Report).where(Report.case_id == case_id)
    ).one()
    case.last_reported_at = now
    case.version += 1
    if (
        case.state == CaseState.open
        and post.state == posts.VISIBLE
        and auto_hide_allowed(reporters, threshold=hooks.settings(session).auto_hide_threshold)
    ):
        case.state = next_state(CaseState(case.state), HoldApplied())
        case.automation_involved = True
        posts.set_post_state(session, post.id, posts.HIDDEN)
        hooks.audit(
            session,
            actor_id=None,
            action="moderation.auto_hide",
            subject_type="case",
            subject_id=case_id,
            details={"reporters": len(reporters)},
            now=now,
        )
        notices.notify(
            session,
            recipient_id=post.author_id,
            case_id=case_id,
            subject="Your post is hidden while a moderator reviews it",
            body=(
                "Several participants with a good record of reports reported your post in "
                f"'{post.consultation_title}', so it is hidden until a moderator reviews "
                "it. Nothing has been decided yet; you will be told the decision and the "
                "reasons."
            ),
            now=now,
        )
    session.add(case)
    session.flush()


# Following a report --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportStatus:
    report: Report
    reason: ReportReason
    case: ModerationCase
    decision: Decision | None
    appeal: Appeal | None
    can_appeal: bool
    post_url_parts: tuple[str, int] | None  # (consultation slug, question number)

    @property
    def is_legal(self) -> bool:
        return self.reason.basis == "law"

    @property
    def outcome_label(self) -> str:
        if self.decision is None:
            return {"held": "Hidden while a moderator reviews it"}.get(
                self.case.state, "Waiting for a moderator"
            )
        return Action(self.decision.action).label


def report_status(
    session: Session, *, reference: str, viewer_id: int, now: datetime
) -> ReportStatus:
    """A report's progress, for the person who made it only. The reference is read whatever
    its capitals, spaces and hyphens (older references too)."""
    stored = func.upper(func.replace(col(Report.reference), "-", ""))
    report = session.exec(
        select(Report).where(
            col(Report.reporter_id) == viewer_id, stored == references.normalise(reference)
        )
    ).first()
    if report is None or report.reporter_id != viewer_id:
        raise NotFound(i18n._("There is no report with this reference on your account."))
    case = get_case(session, report.case_id)
    decision = latest_decision(session, report.case_id)
    appeal = None
    if decision is not None:
        appeal = session.exec(select(Appeal).where(Appeal.decision_id == decision.id)).first()
    can_appeal = (
        decision is not None
        and decision.action == Action.dismiss
        and appeal is None
        and case.state == CaseState.decided
        and appeal_window_open(
            decided_at=decision.created_at, now=now, window=hooks.settings(session).appeal_window
        )
    )
    post = posts.find_post(session, case.contribution_id) if case.contribution_id else None
    parts = (post.consultation_slug, post.question_number) if post else None
    return ReportStatus(
        report=report,
        reason=ReportReason(report.reason),
        case=case,
        decision=decision,
        appeal=appeal,
        can_appeal=can_appeal,
        post_url_parts=parts,
    )


def latest_decision(session: Session, case_id: int) -> Decision | None:
    return session.exec(
        select(Decision)
        .where(Decision.case_id == case_id)
        .order_by(col(Decision.id).desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class MyReport:
    reference: str
    reason: ReportReason
    created_at: datetime
    state: str


def my_reports(
    session: Session, *, reporter_id: int, page: int = 1, per_page: int = 20
) -> tuple[list[MyReport], int, int]:
    total = session.exec(
        select(func.count()).select_from(Report).where(Report.reporter_id == reporter_id)
    ).one()
    page, pages = paging.clamp(page, total=total, per_page=per_page)
    rows = session.exec(
        select(Report.reference, Report.reason, Report.created_at, ModerationCase.state)
        .join(ModerationCase, col(ModerationCase.id) == Report.case_id)
        .where(Report.reporter_id == reporter_id)
        .order_by(col(Report.created_at).desc(), col(Report.id).desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return (
        [MyReport(ref, ReportReason(reason), at, state) for ref, reason, at, state in rows],
        page,
        pages,
    )
