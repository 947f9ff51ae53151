"""The moderation queue, called directly: its order (severity band, then score, then the
oldest first report), its filters and pages, and claiming a case (exclusive until it expires,
released by its holder)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from kernel.clock import utcnow
from moderation import queue, reporting
from moderation.errors import ClaimedByOther, ConflictOfInterest, InvalidTransition
from moderation.models import ModerationCase
from moderation.queue import QueueFilters
from moderation.reasons import BAND_SITE_RULES, BAND_TARGETING, BAND_THREAT
from tests.factories import make_consultation, make_moderator, make_post, make_user

NOW = utcnow()


@pytest.fixture
def consultation(session: Session):
    return make_consultation(session, questions=1)


def case(
    session: Session,
    consultation,
    *,
    band: int = BAND_SITE_RULES,
    score: int = 500_000,
    hours_ago: float = 1,
    state: str = "open",
    reason: str | None = "spam",
    source: str = "report",
    author_id: int | None = None,
) -> ModerationCase:
    reported = NOW - timedelta(hours=hours_ago)
    row = ModerationCase(
        consultation_id=consultation.id,
        author_id=author_id,
        state=state,
        reason=reason,
        severity_band=band,
        priority_score=score,
        source=source,
        first_reported_at=reported,
        last_reported_at=reported,
        report_count=1,
    )
    session.add(row)
    session.flush()
    return row


def ids(session: Session, consultation, **kwargs) -> list[int]:
    filters = QueueFilters(consultation_id=consultation.id, **kwargs.pop("filters", {}))
    page = queue.queue_page(session, filters=filters, now=NOW, **kwargs)
    return [row.id for row in page.rows]


# Order ---------------------------------------------------------------------------------------


def test_the_queue_is_ordered_by_band_then_score_then_age(session: Session, consultation) -> None:
    rules_low = case(session, consultation, band=BAND_SITE_RULES, score=100)
    rules_high_new = case(session, consultation, band=BAND_SITE_RULES, score=900, hours_ago=1)
    rules_high_old = case(session, consultation, band=BAND_SITE_RULES, score=900, hours_ago=30)
    targeting = case(session, consultation, band=BAND_TARGETING, score=1)
    threat = case(session, consultation, band=BAND_THREAT, score=0)
    assert ids(session, consultation) == [
        threat.id,
        targeting.id,
        rules_high_old.id,
        rules_high_new.id,
        rules_low.id,
    ]


def test_cases_alike_in_band_score_and_age_keep_the_order_they_were_opened(
    session: Session, consultation
) -> None:
    same = [case(session, consultation, hours_ago=2) for _ in range(3)]
    assert ids(session, consultation) == [c.id for c in same]


def test_open_and_held_cases_are_merged_into_one_order(session: Session, consultation) -> None:
    held = case(session, consultation, state="held", score=700)
    opened = case(session, consultation, state="open", score=800)
    held_threat = case(session, consultation, state="held", band=BAND_THREAT)
    assert ids(session, consultation) == [held_threat.id, opened.id, held.id]


# Pages ---------------------------------------------------------------------------------------


def test_the_queue_is_read_one_page_at_a_time(session: Session, consultation) -> None:
    ordered = [case(session, consultation, score=1000 - i) for i in range(5)]
    filters = QueueFilters(consultation_id=consultation.id)
    pages = [
        queue.queue_page(session, filters=filters, page=n, per_page=2, now=NOW) for n in (1, 2, 3)
    ]
    assert [[r.id for r in p.rows] for p in pages] == [
        [ordered[0].id, ordered[1].id],
        [ordered[2].id, ordered[3].id],
        [ordered[4].id],
    ]
    assert [p.has_next for p in pages] == [True, True, False]
    assert [p.page for p in pages] == [1, 2, 3]


def test_a_page_before_the_first_is_the_first(session: Session, consultation) -> None:
    first = case(session, consultation)
    page = queue.queue_page(
        session, filters=QueueFilters(consultation_id=consultation.id), page=-3, now=NOW
    )
    assert page.page == 1 and [r.id for r in page.rows] == [first.id]


def test_a_full_last_page_has_no_next(session: Session, consultation) -> None:
    for _ in range(2):
        case(session, consultation)
    page = queue.queue_page(
        session, filters=QueueFilters(consultation_id=consultation.id), per_page=2, now=NOW
    )
    assert len(page.rows) == 2 and not page.has_next


# Filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        ("awaiting", {"open", "held"}),
        ("open", {"open"}),
        ("held", {"held"}),
        ("appealed", {"appealed"}),
        ("decided", {"decided"}),
        ("closed", {"closed"}),
    ],
)
def test_the_state_filter_shows_only_those_states(
    session: Session, consultation, state, shown
) -> None:
    states = ("open", "held", "appealed", "decided", "closed")
    by_state = {s: case(session, consultation, state=s).id for s in states}
    assert set(ids(session, consultation, filters={"state": state})) == {by_state[s] for s in shown}


def test_the_reason_filter(session: Session, consultation) -> None:
    spam = case(session, consultation, reason="spam")
    case(session, consultation, reason="threat", band=BAND_THREAT)
    assert ids(session, consultation, filters={"reason": "spam"}) == [spam.id]


def test_the_consultation_filter(session: Session, consultation) -> None:
    mine = case(session, consultation)
    case(session, make_consultation(session, questions=1))
    assert ids(session, consultation) == [mine.id]


@pytest.mark.parametrize(
    ("age", "expected"), [("day", ["hour"]), ("week", ["hour", "days"]), ("older", ["weeks"])]
)
def test_the_age_filter(session: Session, consultation, age, expected) -> None:
    made = {
        "hour": case(session, consultation, hours_ago=1, score=3),
        "days": case(session, consultation, hours_ago=24 * 3, score=2),
        "weeks": case(session, consultation, hours_ago=24 * 10, score=1),
    }
    assert ids(session, consultation, filters={"age": age}) == [made[k].id for k in expected]


def test_filters_from_the_query_string_fall_back_to_safe_values() -> None:
    parsed = QueueFilters.parse(state="bogus", reason="nope", consultation="12x", age="forever")
    assert parsed == QueueFilters()
    good = QueueFilters.parse(state="held", reason="spam", consultation="12", age="week")
    assert good == QueueFilters(state="held", reason="spam", consultation_id=12, age="week")
    assert good.query() == {"state": "held", "reason": "spam", "consultation": 12, "age": "week"}
    assert QueueFilters().query() == {"state": "awaiting"}


# Rows ----------------------------------------------------------------------------------------


def test_a_row_shows_the_post_its_author_and_the_consultation(session: Session, mod) -> None:
    author = make_user(session, pseudonym="RowAuthor")
    text = "A long post. " * 20
    post = make_post(session, author=author, text=text)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=make_user(session).id,
        reason="spam",
        about_me=False,
        note="",
        now=NOW,
    )
    consultation_id = session.get(ModerationCase, report.case_id).consultation_id
    page = queue.queue_page(session, filters=QueueFilters(consultation_id=consultation_id), now=NOW)
    (row,) = page.rows
    assert row.author_pseudonym == "RowAuthor" and row.report_count == 1
    assert row.excerpt == text[:160] + "…"
    assert row.consultation_title.startswith("Consultation ")
    assert row.reason_label and row.band_label == "Site rules"


@pytest.mark.parametrize(
    ("source", "label"),
    [("pre", "Pre-moderation"), ("watch_hold", "Watched word (held)"), ("x", "Automatic")],
)
def test_a_case_without_a_reason_is_labelled_by_its_source(
    session: Session, consultation, source, label
) -> None:
    case(session, consultation, reason=None, source=source)
    (row,) = queue.queue_page(
        session, filters=QueueFilters(consultation_id=consultation.id), now=NOW
    ).rows
    assert row.reason_label == label and row.author_pseudonym == "Former participant"


# Claims --------------------------------------------------------------------------------------


def test_a_claim_is_exclusive_until_it_expires(session: Session, consultation, mod) -> None:
    target = case(session, consultation)
    first, second = make_moderator(session), make_moderator(session)
    claimed = queue.claim(session, case_id=target.id, moderator_id=first.id, now=NOW)
    assert claimed.claimed_by == first.id
    assert claimed.claim_expires_at == NOW + mod.claim_duration
    with pytest.raises(ClaimedByOther) as refused:
        queue.claim(session, case_id=target.id, moderator_id=second.id, now=NOW)
    assert refused.value.until == NOW + mod.claim_duration
    expired = NOW + mod.claim_duration
    taken = queue.claim(session, case_id=target.id, moderator_id=second.id, now=expired)
    assert taken.claimed_by == second.id


def test_the_holder_may_claim_again_to_extend_the_claim(
    session: Session, consultation, mod
) -> None:
    target = case(session, consultation)
    moderator = make_moderator(session)
    queue.claim(session, case_id=target.id, moderator_id=moderator.id, now=NOW)
    later = NOW + timedelta(minutes=5)
    again = queue.claim(session, case_id=target.id, moderator_id=moderator.id, now=later)
    assert again.claim_expires_at == later + mod.claim_duration


def test_only_the_holder_releases_a_claim(session: Session, consultation, mod) -> None:
    target = case(session, consultation)
    holder, other = make_moderator(session), make_moderator(session)
    queue.claim(session, case_id=target.id, moderator_id=holder.id, now=NOW)
    queue.release(session, case_id=target.id, moderator_id=other.id, now=NOW)
    session.refresh(target)
    assert target.claimed_by == holder.id
    queue.release(session, case_id=target.id, moderator_id=holder.id, now=NOW)
    session.refresh(target)
    assert target.claimed_by is None and target.claim_expires_at is None
    assert queue.claim(session, case_id=target.id, moderator_id=other.id, now=NOW)


def test_claims_and_releases_are_audited(session: Session, consultation, mod) -> None:
    target = case(session, consultation)
    moderator = make_moderator(session)
    queue.claim(session, case_id=target.id, moderator_id=moderator.id, now=NOW)
    queue.release(session, case_id=target.id, moderator_id=moderator.id, now=NOW)
    # In the order written (PostgreSQL returns rows in any order without one), and only this
    # case's claims: another subject may share the number.
    actions = session.exec(
        select(AuditEntry.action)
        .where(
            AuditEntry.subject_id == str(target.id),
            col(AuditEntry.action).in_(["moderation.claim", "moderation.release"]),
        )
        .order_by(col(AuditEntry.seq))
    ).all()
    assert actions == ["moderation.claim", "moderation.release"]


def test_the_queue_names_the_holder_only_while_the_claim_runs(
    session: Session, consultation, mod
) -> None:
    target = case(session, consultation)
    holder = make_moderator(session, pseudonym="HoldingMod")
    queue.claim(session, case_id=target.id, moderator_id=holder.id, now=NOW)
    filters = QueueFilters(consultation_id=consultation.id)
    (row,) = queue.queue_page(session, filters=filters, now=NOW).rows
    assert row.claimed_by == "HoldingMod"
    later = NOW + mod.claim_duration + timedelta(seconds=1)
    (row,) = queue.queue_page(session, filters=filters, now=later).rows
    assert row.claimed_by is None


@pytest.mark.parametrize("state", ["decided", "closed"])
def test_a_case_that_is_not_waiting_cannot_be_claimed(
    session: Session, consultation, mod, state
) -> None:
    target = case(session, consultation, state=state)
    with pytest.raises(InvalidTransition):
        queue.claim(session, case_id=target.id, moderator_id=make_moderator(session).id, now=NOW)
    session.refresh(target)
    assert target.claimed_by is None


def test_the_author_or_a_reporter_cannot_claim_the_case(session: Session, mod) -> None:
    author, reporter = make_moderator(session), make_moderator(session)
    post = make_post(session, author=author)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=reporter.id,
        reason="spam",
        about_me=False,
        note="",
        now=NOW,
    )
    for moderator in (author, reporter):
        with pytest.raises(ConflictOfInterest):
            queue.claim(session, case_id=report.case_id, moderator_id=moderator.id, now=NOW)
    assert queue.claim(
        session, case_id=report.case_id, moderator_id=make_moderator(session).id, now=NOW
    )
