"""Accounts: signing up and in by e-mail link, pseudonyms, roles and browser sessions.

Identity data (the address) never lives here: it goes straight to ``app.vault.service``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, bindparam, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.errors import Conflict, Forbidden, FormInvalid, NotFound
from app.mail import Mail, get_mailer
from app.models.accounts import AccountStatus, Role, User, UserSession, VerificationLevel
from app.models.consultations import Consultation
from app.models.participation import Contribution, Kind, Response
from app.pseudonyms import pseudonym_problem, suggest_pseudonym
from app.settings import Settings, get_settings
from app.vault import service as vault
from app.vault.blind_index import InvalidEmail

LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def _check_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise FormInvalid({"email": "Enter your e-mail address."})
    try:
        vault.email_lookup_index(email)
    except InvalidEmail:
        raise FormInvalid(
            {"email": "Enter an e-mail address in the right format, like name@example.org."}
        ) from None
    return email


def safe_next_path(next_path: str | None) -> str:
    """Only same-site paths may follow sign-in (no open redirects)."""
    if (
        not next_path
        or not next_path.startswith("/")
        or next_path.startswith("//")
        or "\\" in next_path
    ):
        return "/"
    return next_path[:500]


def request_sign_in_link(
    session: Session,
    *,
    email: str,
    next_path: str | None,
    now: datetime,
    settings: Settings | None = None,
) -> None:
    """Send a single-use link. Same message and same answer whether or not an account exists."""
    settings = settings or get_settings()
    email = _check_email(email)
    raw = vault.issue_sign_in_token(
        session,
        email=email,
        next_path=safe_next_path(next_path),
        now=now,
        lifetime=timedelta(minutes=settings.sign_in_link_minutes),
    )
    link = f"{settings.base_url.rstrip('/')}/auth/link/{raw}"
    body = (
        f"Someone (we hope you) asked to sign in to {settings.site_name} with this address.\n\n"
        f"Open this link to continue:\n{link}\n\n"
        f"The link works once and for {settings.sign_in_link_minutes} minutes. If you did not ask"
        " for it, ignore this message: nothing happens without the link.\n"
    )
    get_mailer(settings).send(
        Mail(to=email, subject=f"Your {settings.site_name} sign-in link", body=body)
    )


@dataclass(frozen=True)
class LinkPage:
    """What the page a link opens needs to know (nothing is used up by showing it)."""

    has_account: bool
    suggested_pseudonym: str


def inspect_link(session: Session, *, token: str, now: datetime) -> LinkPage:
    request = vault.inspect_sign_in_token(session, token, now=now)
    return LinkPage(has_account=request.has_account, suggested_pseudonym=suggest_pseudonym())


@dataclass(frozen=True)
class SignedIn:
    user: User
    next_path: str
    is_new: bool


def complete_sign_in(
    session: Session, *, token: str, pseudonym: str | None, now: datetime
) -> SignedIn:
    """Use a link: sign in to the existing account, or create one with the chosen pseudonym.

    A pseudonym that cannot be used is refused before the link is used up, so the person can
    correct it and submit again.
    """
    preview = vault.inspect_sign_in_token(session, token, now=now)
    pseudonym = (pseudonym or "").strip()
    if not preview.has_account:
        _check_pseudonym(session, pseudonym)
    request = vault.consume_sign_in_token(session, token, now=now)
    user_id = vault.find_user_id_by_email(session, request.email)
    if user_id is not None:
        return SignedIn(
            user=user_who_may_sign_in(session, user_id), next_path=request.next_path, is_new=False
        )
    user = create_user(
        session, email=request.email, pseudonym=pseudonym, roles={Role.citizen}, now=now
    )
    return SignedIn(user=user, next_path=request.next_path, is_new=True)


def user_who_may_sign_in(session: Session, user_id: int) -> User:
    """The account behind a verified address or identity, unless deleted or excluded."""
    user = session.get(User, user_id)
    if user is None or user.status == AccountStatus.deleted:
        raise NotFound("This account no longer exists.")
    if user.status == AccountStatus.excluded:
        raise Forbidden("This account was excluded from taking part.")
    return user


def _check_pseudonym(session: Session, pseudonym: str, *, allow_reserved: bool = False) -> None:
    problem = pseudonym_problem(pseudonym, allow_reserved=allow_reserved)
    if problem is None and pseudonym_taken(session, pseudonym):
        problem = "That pseudonym is taken. Choose another, or accept the suggestion."
    if problem:
        raise FormInvalid({"pseudonym": problem})


def pseudonym_taken(session: Session, pseudonym: str) -> bool:
    return (
        session.exec(select(User.id).where(func.lower(User.pseudonym) == pseudonym.lower())).first()
        is not None
    )


def create_user(
    session: Session,
    *,
    email: str,
    pseudonym: str,
    roles: Iterable[Role],
    now: datetime,
    level: VerificationLevel = VerificationLevel.email,
    allow_reserved: bool = False,
) -> User:
    """Create an account; ``allow_reserved`` lets the operator use names like "…Moderator"."""
    email = _check_email(email)
    _check_pseudonym(session, pseudonym, allow_reserved=allow_reserved)
    if vault.find_user_id_by_email(session, email) is not None:
        raise Conflict("An account with this address already exists.")
    if vault.is_excluded_email(session, email):
        raise Forbidden(
            "This address was excluded from taking part, so it cannot be used for a new account."
        )
    role_names = sorted({Role(r).value for r in roles} | {Role.citizen.value})
    user = User(
        pseudonym=pseudonym, roles=" ".join(role_names), created_at=now, verification_level=level
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise FormInvalid({"pseudonym": "That pseudonym is taken. Choose another."}) from None
    vault.create_email_identity(session, user_id=user.id, email=email, now=now)
    return user


def grant_roles(session: Session, *, user: User, roles: Iterable[Role]) -> User:
    user.roles = " ".join(sorted(user.role_set | {Role(r) for r in roles}))
    session.add(user)
    return user


def get_user_by_pseudonym(session: Session, pseudonym: str) -> User:
    user = session.exec(select(User).where(User.pseudonym == pseudonym)).first()
    if user is None:
        raise NotFound(f"No participant is called {pseudonym}.")
    return user


# Browser sessions ---------------------------------------------------------------------------


def _session_id(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def start_session(session: Session, *, user: User, now: datetime) -> str:
    """A new random session token (the cookie value); only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    session.add(UserSession(id=_session_id(raw), user_id=user.id, created_at=now, last_seen_at=now))
    return raw


# Built once: every signed-in request runs it, so it skips statement construction.
_SESSION_USER = (
    select(UserSession, User)
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.id == bindparam("session_id"))
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
            update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now)
        )


def end_session(session: Session, raw: str | None, *, now: datetime) -> None:
    if raw:
        session.execute(
            update(UserSession).where(UserSession.id == _session_id(raw)).values(revoked_at=now)
        )


def end_all_sessions(session: Session, *, user: User, now: datetime) -> int:
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount


@dataclass(frozen=True)
class AccountOverview:
    pseudonym: str
    roles: list[str]
    verification_level: str
    created_at: datetime
    active_sessions: int
    responses: list[tuple[str, str, int]]  # (consultation slug, title, answers)


def account_overview(session: Session, *, user: User) -> AccountOverview:
    sessions = session.exec(
        select(func.count())
        .select_from(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    ).one()
    rows = session.exec(
        select(Consultation.slug, Consultation.title, func.count(Contribution.id))
        .join(Response, Response.consultation_id == Consultation.id)
        .join(
            Contribution,
            (Contribution.response_id == Response.id) & (Contribution.kind == Kind.answer),
            isouter=True,
        )
        .where(Response.respondent_id == user.id)
        .group_by(Consultation.slug, Consultation.title)
        .order_by(Consultation.title)
    ).all()
    return AccountOverview(
        pseudonym=user.pseudonym,
        roles=sorted(r.value for r in user.role_set),
        verification_level=user.verification_level,
        created_at=user.created_at,
        active_sessions=sessions,
        responses=[(s, t, n) for s, t, n in rows],
    )
