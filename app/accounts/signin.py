"""Signing up and in by e-mail link: a single-use link to the address, then an account.

The address never lives here: it goes straight to the identity vault, and the e-mail is queued
in the outbox with only a reference to the vault's link (the worker sends it after the
request, so a slow or absent mail server never holds up the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.accounts.models import AccountStatus, Role, User
from app.accounts.pseudonyms import suggest_pseudonym
from app.accounts.users import check_email, check_pseudonym, create_user
from app.identity.vault import service as vault
from app.identity.vault.blind_index import InvalidEmail
from app.outbox.queue import Template, queue_mail
from app.ratelimit.limiter import RateLimiter
from app.settings import Settings
from kernel import i18n
from kernel.errors import Forbidden, NotFound
from kernel.text import clean


def safe_next_path(next_path: str | None) -> str:
    """Only same-site paths may follow sign-in (no open redirects).

    Control characters and white space are refused too: a browser strips tabs and line breaks
    from a URL, so "/<tab>/evil.example" would become "//evil.example", another site."""
    if (
        not next_path
        or not next_path.startswith("/")
        or next_path.startswith("//")
        or "\\" in next_path
        or any(ord(c) < 0x21 or ord(c) == 0x7F for c in next_path)
    ):
        return "/"
    return next_path[:500]


def request_sign_in_link(
    session: Session,
    *,
    email: str,
    next_path: str | None,
    client: str,
    now: datetime,
    settings: Settings,
    limiter: RateLimiter,
) -> None:
    """Queue a single-use link. Same message and same answer whether or not an account exists.

    Each request counts against the client's and the address's limits, in transactions of
    their own (a refused or invalid request still counts)."""
    # Loose per client (a school or an office may share one address), tight per address.
    limiter.hit(
        "sign-in-ip",
        settings.rate_limit_sign_in_client,
        client,
        message=i18n._(
            "There have been too many sign-in requests from your network (everyone "
            "behind the same internet address counts together)."
        ),
    )
    try:
        index = vault.email_lookup_index(email or "")
    except InvalidEmail:
        pass  # reported by check_email below
    else:
        limiter.hit(
            "sign-in-address",
            settings.rate_limit_sign_in,
            index,
            message=i18n._(
                "There have been too many sign-in requests for this e-mail address. "
                "Use the most recent link we sent you, or wait before asking for another."
            ),
        )
    email = check_email(email)
    token_id = vault.issue_sign_in_link(
        session,
        email=email,
        next_path=safe_next_path(next_path),
        now=now,
        lifetime=timedelta(minutes=settings.sign_in_link_minutes),
    )
    queue_mail(
        session,
        template=Template.sign_in_link,
        sign_in_token_id=token_id,
        # No account may exist yet: the link is written in the language it was asked for in.
        params={"minutes": settings.sign_in_link_minutes, "language": i18n.current_language()},
        now=now,
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
    pseudonym = clean(pseudonym, single_line=True)
    if not preview.has_account:
        check_pseudonym(session, pseudonym)
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
        raise NotFound(i18n._("This account no longer exists."))
    if user.status == AccountStatus.excluded:
        raise Forbidden(i18n._("This account was excluded from taking part."))
    return user
