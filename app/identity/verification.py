"""Verified identity from an OpenID Connect provider: sign in, sign up, or raise the level of
the signed-in account. One verified person, one account: the provider's (issuer, subject) and
the e-mail address are unique in the vault, so signing in again reaches the same account."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.accounts import signin, users
from app.accounts.models import Role, User, VerificationLevel
from app.accounts.pseudonyms import suggest_pseudonym
from app.accounts.signin import SignedIn
from app.identity.oidc import FinishedLogin, OidcError
from app.identity.vault import service as vault


def _store(session: Session, *, user: User, finished: FinishedLogin, now: datetime) -> None:
    c = finished.claims
    assert user.id is not None, "a stored account"
    vault.record_verified_identity(
        session,
        user_id=user.id,
        issuer=c.issuer,
        subject=c.subject,
        email=c.email if c.email_verified else None,
        name=c.name,
        birthdate=c.birthdate,
        level=VerificationLevel.identity,
        now=now,
    )
    user.verification_level = VerificationLevel.identity
    session.add(user)


def _free_pseudonym(session: Session) -> str:
    while True:
        candidate = suggest_pseudonym()
        if not users.pseudonym_taken(session, candidate):
            return candidate


def complete_verification(
    session: Session, *, finished: FinishedLogin, viewer: User | None, now: datetime
) -> SignedIn:
    """Apply a verified provider identity and return the account to sign in to."""
    c = finished.claims
    if finished.link_user_id is not None:  # a signed-in person asked to verify their identity
        if viewer is None or viewer.id != finished.link_user_id:
            raise OidcError("Sign in to the account you started from, then verify again.")
        _store(session, user=viewer, finished=finished, now=now)
        return SignedIn(user=viewer, next_path=finished.next_path, is_new=False)
    user_id = vault.find_user_id_by_subject(session, issuer=c.issuer, subject=c.subject)
    if user_id is None and c.email and c.email_verified:
        user_id = vault.find_user_id_by_email(session, c.email)
    if user_id is not None:
        user = signin.user_who_may_sign_in(session, user_id)
        _store(session, user=user, finished=finished, now=now)
        return SignedIn(user=user, next_path=finished.next_path, is_new=False)
    user = User(
        pseudonym=_free_pseudonym(session),
        roles=Role.citizen.value,
        created_at=now,
        verification_level=VerificationLevel.identity,
    )
    session.add(user)
    session.flush()
    _store(session, user=user, finished=finished, now=now)
    return SignedIn(user=user, next_path=finished.next_path, is_new=True)
