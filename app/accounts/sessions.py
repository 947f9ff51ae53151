"""Browser sessions: a random token in the cookie, only its hash stored, with idle and
absolute time-outs."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, bindparam, delete, or_, update
from sqlmodel import Session, col, select

from app.accounts.models import AccountStatus, User, UserSession
from app.settings import Settings, get_settings

LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def _session_id(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def start_session(session: Session, *, user: User, now: datetime) -> str:
    """A new random session token (the cookie value); only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    assert user.id is not None, "a stored account"
    session.add(UserSession(id=_session_id(raw), user_id=user.id, created_at=now, last_seen_at=now))
    return raw


# Built once: every signed-in request runs it, so it skips statement construction.
_SESSION_USER = (
    select(UserSession, User)
    .join(User, col(User.id) == col(UserSession.user_id))
    .where(col(UserSession.id) == bindparam("session_id"))
)


def load_session_user(
    session: Session,
    raw: str | None,
    *,
    now: datetime,
    settings: Settings | None = None,
    touch: Callable[[str], None] | None = None,
) -> User | None:
    """The signed-in user for a cookie, or None if absent, revoked, idle or too old."""
    if not raw or len(raw) > 100:
        return None
    settings = settings or get_settings()
    row = session.exec(_SESSION_USER, params={"session_id": _session_id(raw)}).first()
    if row is None:
        return None
    user_session, user = row
    idle_limit = user_session.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    absolute_limit = user_session.created_at + timedelta(hours=settings.session_absolute_hours)
    if (
        user_session.revoked_at is not None
        or now >= idle_limit
        or now >= absolute_limit
        or user.status in (AccountStatus.deleted, AccountStatus.excluded)
    ):
        return None
    if now - user_session.last_seen_at >= LAST_SEEN_RESOLUTION and touch is not None:
        touch(user_session.id)
    return user


def touch_session(engine: Engine, session_id: str, *, now: datetime) -> None:
    """Record activity in a short transaction of its own, so that a request never holds the
    database's write lock while it checks a rate limit (SQLite has one writer at a time)."""
    with engine.begin() as conn:
        conn.execute(
            update(UserSession).where(col(UserSession.id) == session_id).values(last_seen_at=now)
        )


def end_session(session: Session, raw: str | None, *, now: datetime) -> None:
    if raw:
        session.execute(
            update(UserSession)
            .where(col(UserSession.id) == _session_id(raw))
            .values(revoked_at=now)
        )


def end_all_sessions(session: Session, *, user: User, now: datetime) -> int:
    result = session.exec(
        update(UserSession)
        .where(col(UserSession.user_id) == user.id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount


def purge_ended_sessions(session: Session, *, now: datetime, settings: Settings) -> int:
    """Delete sessions that can no longer be used: signed out, idle past the idle time-out or
    older than the absolute one. Returns how many."""
    idle = timedelta(minutes=settings.session_idle_minutes)
    absolute = timedelta(hours=settings.session_absolute_hours)
    gone = session.exec(
        delete(UserSession).where(
            or_(
                col(UserSession.revoked_at).is_not(None),
                col(UserSession.last_seen_at) <= now - idle,
                col(UserSession.created_at) <= now - absolute,
            )
        )
    )
    return gone.rowcount
