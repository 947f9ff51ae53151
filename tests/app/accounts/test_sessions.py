"""Browser sessions, called directly: only the token's hash stored, idle and absolute
time-outs, revoking one session or all of them, and accounts that may no longer sign in."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.accounts import sessions
from app.accounts.models import AccountStatus, UserSession
from kernel.clock import utcnow
from tests.factories import make_user

T0 = utcnow()


@pytest.fixture
def user(session: Session):
    return make_user(session)


def load(session, raw, settings, *, at, touch=None):
    return sessions.load_session_user(session, raw, now=at, settings=settings, touch=touch)


def test_only_the_hash_of_the_token_is_stored(session: Session, user) -> None:
    raw = sessions.start_session(session, user=user, now=T0)
    stored = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert stored.id == hashlib.sha256(raw.encode()).hexdigest() != raw
    assert len(raw) >= 40
    assert sessions.start_session(session, user=user, now=T0) != raw


def test_a_fresh_session_loads_its_user(session: Session, user, settings) -> None:
    raw = sessions.start_session(session, user=user, now=T0)
    assert load(session, raw, settings, at=T0 + timedelta(minutes=5)).id == user.id


@pytest.mark.parametrize("raw", [None, "", "not-a-session", "x" * 101])
def test_a_missing_unknown_or_oversized_cookie_loads_nobody(
    session: Session, user, settings, raw
) -> None:
    sessions.start_session(session, user=user, now=T0)
    assert load(session, raw, settings, at=T0) is None


def test_a_session_unused_for_the_idle_time_ends(session: Session, user, settings) -> None:
    raw = sessions.start_session(session, user=user, now=T0)
    idle = timedelta(minutes=settings.session_idle_minutes)
    assert load(session, raw, settings, at=T0 + idle - timedelta(seconds=1)) is not None
    assert load(session, raw, settings, at=T0 + idle) is None


def test_a_session_in_use_still_ends_after_the_absolute_time(
    session: Session, user, settings
) -> None:
    raw = sessions.start_session(session, user=user, now=T0)
    absolute = T0 + timedelta(hours=settings.session_absolute_hours)
    stored = session.exec(select(UserSession)).one()
    stored.last_seen_at = absolute - timedelta(minutes=1)  # seen a minute ago
    session.flush()
    assert load(session, raw, settings, at=absolute - timedelta(seconds=1)) is not None
    assert load(session, raw, settings, at=absolute) is None


def test_activity_is_recorded_at_most_once_a_minute(session: Session, user, settings) -> None:
    raw = sessions.start_session(session, user=user, now=T0)
    touched: list[str] = []
    load(session, raw, settings, at=T0 + timedelta(seconds=59), touch=touched.append)
    assert touched == []
    load(session, raw, settings, at=T0 + timedelta(minutes=1), touch=touched.append)
    assert touched == [hashlib.sha256(raw.encode()).hexdigest()]


def test_signing_out_revokes_that_session_only(session: Session, user, settings) -> None:
    first = sessions.start_session(session, user=user, now=T0)
    second = sessions.start_session(session, user=user, now=T0)
    sessions.end_session(session, first, now=T0)
    assert load(session, first, settings, at=T0) is None
    assert load(session, second, settings, at=T0).id == user.id
    sessions.end_session(session, None, now=T0)  # signed out already: nothing to do


def test_end_all_sessions_revokes_every_session_of_the_user(
    session: Session, user, settings
) -> None:
    other = make_user(session)
    mine = [sessions.start_session(session, user=user, now=T0) for _ in range(3)]
    sessions.end_session(session, mine[0], now=T0)
    theirs = sessions.start_session(session, user=other, now=T0)
    assert sessions.end_all_sessions(session, user=user, now=T0) == 2
    assert [load(session, raw, settings, at=T0) for raw in mine] == [None, None, None]
    assert load(session, theirs, settings, at=T0).id == other.id
    assert sessions.end_all_sessions(session, user=user, now=T0) == 0


@pytest.mark.parametrize("status", [AccountStatus.excluded, AccountStatus.deleted])
def test_an_excluded_or_deleted_account_is_signed_out(
    session: Session, user, settings, status
) -> None:
    raw = sessions.start_session(session, user=user, now=T0)
    user.status = status
    session.flush()
    assert load(session, raw, settings, at=T0) is None


def test_a_suspended_account_stays_signed_in(session: Session, user, settings) -> None:
    raw = sessions.start_session(session, user=user, now=T0)
    user.status = AccountStatus.suspended
    session.flush()
    assert load(session, raw, settings, at=T0).id == user.id
