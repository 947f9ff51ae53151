"""Accounts: creating one with its pseudonym and roles, and finding one by pseudonym."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts.models import Role, User, VerificationLevel
from app.accounts.pseudonyms import pseudonym_problem
from app.identity.vault import service as vault
from app.identity.vault.blind_index import InvalidEmail
from kernel import i18n
from kernel.errors import Conflict, Forbidden, FormInvalid, NotFound


def check_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise FormInvalid({"email": i18n._("Enter your e-mail address.")})
    try:
        vault.email_lookup_index(email)
    except InvalidEmail:
        raise FormInvalid(
            {"email": i18n._("Enter an e-mail address in the right format, like name@example.org.")}
        ) from None
    return email


def check_pseudonym(session: Session, pseudonym: str, *, allow_reserved: bool = False) -> None:
    problem = pseudonym_problem(pseudonym, allow_reserved=allow_reserved)
    if problem is None and pseudonym_taken(session, pseudonym):
        problem = i18n._("That pseudonym is taken. Choose another, or accept the suggestion.")
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
    email = check_email(email)
    check_pseudonym(session, pseudonym, allow_reserved=allow_reserved)
    if vault.find_user_id_by_email(session, email) is not None:
        raise Conflict(i18n._("An account with this address already exists."))
    if vault.is_excluded_email(session, email):
        raise Forbidden(
            i18n._(
                "This address was excluded from taking part, so it cannot be used for a new "
                "account."
            )
        )
    role_names = sorted({Role(r).value for r in roles} | {Role.citizen.value})
    user = User(
        pseudonym=pseudonym,
        roles=" ".join(role_names),
        created_at=now,
        verification_level=level,
        language=i18n.current_language(),  # the language they signed up in, for e-mails
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise FormInvalid(
            {"pseudonym": i18n._("That pseudonym is taken. Choose another.")}
        ) from None
    assert user.id is not None, "flushed, so it has its id"
    vault.create_email_identity(session, user_id=user.id, email=email, now=now)
    return user


def get_user_by_pseudonym(session: Session, pseudonym: str) -> User:
    user = session.exec(select(User).where(User.pseudonym == pseudonym)).first()
    if user is None:
        raise NotFound(i18n._("No participant is called {pseudonym}.", pseudonym=pseudonym))
    return user


def set_language(session: Session, *, user_id: int, language: str) -> str:
    """Write the account's e-mails in ``language`` from now on (an unknown language is
    English); the language chosen."""
    chosen = i18n.normalise(language) or i18n.DEFAULT_LANGUAGE
    session.execute(update(User).where(col(User.id) == user_id).values(language=chosen))
    return chosen
