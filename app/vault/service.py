"""The vault's storage: the only code that reads or writes ``vault_*`` tables.

Everything else asks this module by user id or by address and gets back only what it needs
(an id, or an address to send one e-mail to). Addresses are looked up through blind indexes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import update
from sqlmodel import Session, select

from app.errors import DomainError, NotFound
from app.models.vault import IdentityRecord, SignInToken
from app.settings import Settings, get_settings
from app.vault.blind_index import email_index, normalise_email
from app.vault.crypto import (
    WrappedKey,
    decrypt_field,
    encrypt_field,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from app.vault.keyring import Keyring, decode_key


class LinkInvalid(DomainError):
    status_code = 410
    title = "This link cannot be used"


@lru_cache(maxsize=4)
def _keyring(spec: str, active: str | None) -> Keyring:
    return Keyring.parse(spec, active=active)


def keyring(settings: Settings | None = None) -> Keyring:
    settings = settings or get_settings()
    return _keyring(settings.vault_keys.get_secret_value(), settings.vault_active_key)


def _index_key(settings: Settings | None = None) -> bytes:
    settings = settings or get_settings()
    return decode_key(settings.blind_index_key.get_secret_value(), name="RECLAIM_BLIND_INDEX_KEY")


def email_lookup_index(email: str) -> str:
    """The blind index of an address (raises ``InvalidEmail`` for a malformed one)."""
    return email_index(_index_key(), email)


def _record_label(record: IdentityRecord) -> str:
    return f"identity-{record.id}"


def _data_key(record: IdentityRecord) -> bytes:
    wrapped = WrappedKey(key_id=record.key_id or "", blob=record.wrapped_key or b"")
    return unwrap_data_key(keyring(), wrapped, record_id=_record_label(record))


def find_user_id_by_email(session: Session, email: str) -> int | None:
    index = email_lookup_index(email)
    return session.exec(
        select(IdentityRecord.user_id).where(IdentityRecord.email_index == index)
    ).first()


def create_email_identity(session: Session, *, user_id: int, email: str, now: datetime) -> None:
    """Store a newly confirmed address for ``user_id``, encrypted under a fresh data key."""
    record = IdentityRecord(
        user_id=user_id, email_index=email_lookup_index(email), verification_level="email",
        verified_at=now, created_at=now,
    )
    session.add(record)
    session.flush()
    dek = new_data_key()
    wrapped = wrap_data_key(keyring(), dek, record_id=_record_label(record))
    record.key_id, record.wrapped_key = wrapped.key_id, wrapped.blob
    record.email_ct = encrypt_field(
        dek, normalise_email(email), record_id=_record_label(record), field="email"
    )
    session.add(record)


def email_of(session: Session, user_id: int) -> str | None:
    """The address to write to, or None when the person has none (or was erased)."""
    record = session.exec(
        select(IdentityRecord).where(IdentityRecord.user_id == user_id)
    ).first()
    if record is None or record.email_ct is None or record.wrapped_key is None:
        return None
    return decrypt_field(
        _data_key(record), record.email_ct, record_id=_record_label(record), field="email"
    )


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class SignInRequest:
    email: str
    next_path: str
    has_account: bool


def issue_sign_in_token(
    session: Session, *, email: str, next_path: str, now: datetime, lifetime: timedelta
) -> str:
    """Create a single-use sign-in link token; returns the raw token (only ever in the e-mail)."""
    raw = secrets.token_urlsafe(32)
    token_hash = _token_hash(raw)
    ring = keyring()
    normalised = normalise_email(email)
    token = SignInToken(
        token_hash=token_hash, email_index=email_lookup_index(normalised), key_id=ring.active_id,
        email_ct=encrypt_field(ring.get(ring.active_id), normalised,
                               record_id=f"token-{token_hash}", field="email"),
        next_path=next_path, created_at=now, expires_at=now + lifetime,
    )
    session.add(token)
    return raw


def _usable_token(session: Session, raw: str, now: datetime) -> SignInToken:
    token = session.exec(
        select(SignInToken).where(SignInToken.token_hash == _token_hash(raw))
    ).first()
    if token is None:
        raise NotFound("This sign-in link is not valid. Ask for a new one.")
    if token.used_at is not None:
        raise LinkInvalid("This sign-in link has already been used. Ask for a new one.")
    if now >= token.expires_at:
        raise LinkInvalid("This sign-in link has expired. Links last 15 minutes; "
                          "ask for a new one.")
    return token


def inspect_sign_in_token(session: Session, raw: str, *, now: datetime) -> SignInRequest:
    """What a link is for, without using it up (the page a link opens shows this)."""
    token = _usable_token(session, raw, now)
    email = _token_email(token)
    has_account = find_user_id_by_email(session, email) is not None
    return SignInRequest(email=email, next_path=token.next_path, has_account=has_account)


def consume_sign_in_token(session: Session, raw: str, *, now: datetime) -> SignInRequest:
    """Use the link once. A second use, or a use after expiry, is refused."""
    token = _usable_token(session, raw, now)
    claimed = session.execute(
        update(SignInToken)
        .where(SignInToken.id == token.id, SignInToken.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # another request used it a moment ago
        raise LinkInvalid("This sign-in link has already been used. Ask for a new one.")
    email = _token_email(token)
    has_account = find_user_id_by_email(session, email) is not None
    return SignInRequest(email=email, next_path=token.next_path, has_account=has_account)


def _token_email(token: SignInToken) -> str:
    return decrypt_field(keyring().get(token.key_id), token.email_ct,
                         record_id=f"token-{token.token_hash}", field="email")


# Exclusions (bans) that outlive the account ---------------------------------------------------

def exclude_identity(session: Session, user_id: int) -> bool:
    """Remember that the person behind ``user_id`` is excluded, by their address's blind index,
    so that the ban survives deleting the account. False when there is no address on record."""
    from app.models.vault import Exclusion

    index = session.exec(
        select(IdentityRecord.email_index).where(IdentityRecord.user_id == user_id)
    ).first()
    if index is None:
        return False
    if session.get(Exclusion, index) is None:
        session.add(Exclusion(email_index=index))
        session.flush()
    return True


def is_excluded_email(session: Session, email: str) -> bool:
    """Whether this address belongs to an excluded person (checked before creating an account)."""
    from app.models.vault import Exclusion

    return session.get(Exclusion, email_lookup_index(email)) is not None
