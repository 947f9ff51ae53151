"""The organiser's dashboard: responses over time, every day in the site's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from app.analysis.dashboard import responses_by_day
from kernel import localtime
from tests.factories import add_response, make_consultation


def _respond_at(session: Session, consultation, *moments: datetime) -> None:
    for moment in moments:
        response = add_response(session, consultation, {})
        response.created_at = moment
        session.add(response)
    session.flush()


def test_days_with_no_responses_are_shown_with_none(session: Session) -> None:
    consultation = make_consultation(session, status="closed")
    consultation.opens_at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    consultation.closes_at = datetime(2026, 3, 6, 23, tzinfo=UTC)
    _respond_at(
        session,
        consultation,
        datetime(2026, 3, 2, 10, tzinfo=UTC),
        datetime(2026, 3, 2, 11, tzinfo=UTC),
        datetime(2026, 3, 5, 12, tzinfo=UTC),
    )
    with localtime.using(localtime.SiteTime.named("Europe/London")):
        days = responses_by_day(session, consultation=consultation, now=datetime.now(UTC))
    assert days == [
        ("Mon 2 March 2026", 2),
        ("Tue 3 March 2026", 0),
        ("Wed 4 March 2026", 0),
        ("Thu 5 March 2026", 1),
        ("Fri 6 March 2026", 0),
    ]


def test_a_response_just_after_midnight_in_summer_counts_on_the_local_day(
    session: Session,
) -> None:
    consultation = make_consultation(session, status="closed")
    consultation.closes_at = datetime(2026, 7, 1, 12, tzinfo=UTC)
    _respond_at(session, consultation, datetime(2026, 6, 30, 23, 30, tzinfo=UTC))  # 00:30 BST
    with localtime.using(localtime.SiteTime.named("Europe/London")):
        days = responses_by_day(session, consultation=consultation, now=datetime.now(UTC))
    assert days == [("Wed 1 July 2026", 1)]


def test_no_responses_give_no_rows(session: Session) -> None:
    consultation = make_consultation(session)
    assert responses_by_day(session, consultation=consultation, now=datetime.now(UTC)) == []
