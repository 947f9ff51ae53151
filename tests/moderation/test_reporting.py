"""Reporting: one case per post, receipts, refusals, the score, the brigade that cannot hide."""

import pytest
from sqlmodel import Session, func, select

from app.participation.models import PostState
from kernel.clock import utcnow
from kernel.errors import FormInvalid
from moderation import queue, reporting
from moderation.errors import AlreadyReported, OwnPost
from moderation.models import EvidenceSnapshot, ModerationCase, Report
from moderation.reasons import BAND_THREAT, ReportReason
from tests.factories import age_account, make_post, make_user


def _report(session, post, reporter, reason="spam", note=""):
    return reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=reporter.id,
        reason=reason,
        about_me=False,
        note=note,
        now=utcnow(),
    )


def test_reports_on_one_post_make_one_case_with_a_receipt_each(session: Session, mod) -> None:
    post = make_post(session)
    first = _report(session, post, make_user(session))
    second = _report(session, post, make_user(session), reason="threat")
    assert first.case_id == second.case_id
    assert session.exec(select(func.count()).select_from(ModerationCase)).one() >= 1
    case = session.get(ModerationCase, first.case_id)
    assert case.report_count == 2
    assert case.severity_band == BAND_THREAT and case.reason == "threat"
    assert first.reference != second.reference and len(first.reference) >= 16
    snapshots = session.exec(
        select(EvidenceSnapshot).where(EvidenceSnapshot.case_id == case.id)
    ).all()
    assert len(snapshots) == 1 and snapshots[0].trigger == "first_report"


def test_reporting_own_post_is_refused(session: Session, mod) -> None:
    author = make_user(session)
    post = make_post(session, author=author)
    with pytest.raises(OwnPost):
        _report(session, post, author)


def test_reporting_the_same_post_twice_is_refused(session: Session, mod) -> None:
    post, reporter = make_post(session), make_user(session)
    _report(session, post, reporter)
    with pytest.raises(AlreadyReported) as refused:
        _report(session, post, reporter, reason="threat")
    assert "already reported" in refused.value.message


def test_a_report_needs_a_known_reason(session: Session, mod) -> None:
    with pytest.raises(FormInvalid) as refused:
        _report(session, make_post(session), make_user(session), reason="nonsense")
    assert "reason" in refused.value.errors


def test_thirty_new_accounts_cannot_hide_a_post(session: Session, mod) -> None:
    post = make_post(session)
    for _ in range(30):
        _report(session, post, make_user(session), reason="targeting")
    session.refresh(post)
    case = reporting.find_case_for_post(session, post.id)
    assert post.state == PostState.visible
    assert case.state == "open" and case.report_count == 30


def test_three_established_accurate_reporters_hide_a_post_pending_review(
    session: Session, mod
) -> None:
    reporters = [age_account(session, make_user(session), 400) for _ in range(3)]
    # Each has a record of upheld reports.
    for reporter in reporters:
        for _ in range(3):
            earlier = _report(session, make_post(session), reporter)
            session.get(Report, earlier.id).outcome = "upheld"
    session.flush()
    post = make_post(session)
    for reporter in reporters:
        _report(session, post, reporter, reason="targeting")
    session.refresh(post)
    case = reporting.find_case_for_post(session, post.id)
    assert post.state == PostState.hidden
    assert case.state == "held" and case.automation_involved


def test_established_reporters_outrank_a_brigade_in_the_queue(session: Session, mod) -> None:
    brigaded, trusted = make_post(session), make_post(session)
    for _ in range(30):
        _report(session, brigaded, make_user(session), reason="spam")
    for _ in range(3):
        reporter = age_account(session, make_user(session), 400)
        for _ in range(4):
            earlier = _report(session, make_post(session), reporter)
            session.get(Report, earlier.id).outcome = "upheld"
        session.flush()
        _report(session, trusted, reporter, reason="spam")
    a = reporting.find_case_for_post(session, brigaded.id)
    b = reporting.find_case_for_post(session, trusted.id)
    assert b.priority_score > a.priority_score


def test_a_threat_goes_to_the_top_above_many_offensive_posts(session: Session, mod) -> None:
    reporter = make_user(session)
    for _ in range(30):
        _report(session, make_post(session), reporter, reason="grossly_offensive")
    threat = make_post(session)
    _report(session, threat, make_user(session), reason="threat")
    page = queue.queue_page(session, filters=queue.QueueFilters(), per_page=5, now=utcnow())
    first = page.rows[0]
    assert first.severity_band == BAND_THREAT
    assert session.get(ModerationCase, first.id).contribution_id == threat.id


def test_queue_filters_by_reason_and_state(session: Session, mod) -> None:
    post = make_post(session)
    _report(session, post, make_user(session), reason="court_order")
    page = queue.queue_page(session, filters=queue.QueueFilters(reason="court_order"), now=utcnow())
    assert page.rows and all(r.reason == ReportReason.court_order for r in page.rows)
    closed = queue.queue_page(
        session, filters=queue.QueueFilters(state="closed", reason="court_order"), now=utcnow()
    )
    assert all(r.state == "closed" for r in closed.rows)


def test_the_queue_page_costs_the_same_number_of_queries_however_long(
    session: Session, mod, count_queries
) -> None:
    reporter = make_user(session)
    for _ in range(3):
        _report(session, make_post(session), reporter)
    count_queries.statements.clear()
    queue.queue_page(session, filters=queue.QueueFilters(), now=utcnow())
    few = count_queries.count
    for _ in range(12):
        _report(session, make_post(session), reporter)
    count_queries.statements.clear()
    queue.queue_page(session, filters=queue.QueueFilters(), now=utcnow())
    assert count_queries.count == few == 2


def test_report_status_is_only_for_the_reporter(session: Session, mod) -> None:
    post, reporter = make_post(session), make_user(session)
    report = _report(session, post, reporter)
    status = reporting.report_status(
        session, reference=report.reference, viewer_id=reporter.id, now=utcnow()
    )
    assert status.decision is None
    from kernel.errors import NotFound

    with pytest.raises(NotFound):
        reporting.report_status(
            session, reference=report.reference, viewer_id=make_user(session).id, now=utcnow()
        )


def test_a_report_is_found_by_its_reference_typed_in_lower_case_with_spaces(
    session: Session, mod
) -> None:
    post, reporter = make_post(session), make_user(session)
    report = _report(session, post, reporter)
    groups = report.reference.split("-")
    assert groups[0] == "R" and len(groups) == 5 and not set("".join(groups)) & set("0O1IL")
    typed = " ".join(g.lower() for g in groups)
    status = reporting.report_status(session, reference=typed, viewer_id=reporter.id, now=utcnow())
    assert status.report.id == report.id


def test_a_report_made_before_the_new_references_is_still_found(session: Session, mod) -> None:
    post, reporter = make_post(session), make_user(session)
    report = _report(session, post, reporter)
    report.reference = "R-6l01o2AlkxZTIMbm"
    session.add(report)
    session.flush()
    status = reporting.report_status(
        session, reference="r-6l01 o2al-kxzt imbm", viewer_id=reporter.id, now=utcnow()
    )
    assert status.report.id == report.id
