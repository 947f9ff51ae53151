"""The vault's storage: the only code that reads or writes ``vault_*`` tables.

Everything else asks this module by user id or by address and gets back only what it needs
(an id, or an address to send one e-mail to). Addresses are looked up through blind indexes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import ColumnElement, delete, insert, or_, update
from sqlmodel import Session, col, select

from app.identity.vault.blind_index import email_index, normalise_email, subject_index
from app.identity.vault.crypto import (
    WrappedKey,
    decrypt_field,
    encrypt_field,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from app.identity.vault.keyring import Keyring, decode_key
from app.identity.vault.models import IdentityRecord, SignInToken
from app.settings import Settings, get_settings
from kernel import i18n
from kernel.errors import Conflict, DomainError, NotFound


class LinkInvalid(DomainError):
    status_code = 410
    title = i18n.N_("This link cannot be used")


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


def _owner(session: Session, condition: ColumnElement[bool]) -> int | None:
    """The account of the record that meets ``condition`` (a unique index), if any."""
    return session.exec(select(IdentityRecord.user_id).where(condition)).first()


def find_user_id_by_email(session: Session, email: str) -> int | None:
    return _owner(session, col(IdentityRecord.email_index) == email_lookup_index(email))


def _new_record(
    session: Session, *, user_id: int, now: datetime, level: str = "email"
) -> tuple[IdentityRecord, bytes]:
    """A new record with a fresh data key, wrapped under the active key-encryption key."""
    record = IdentityRecord(
        user_id=user_id, verification_level=level, verified_at=now, created_at=now
    )
    session.add(record)
    session.flush()
    dek = new_data_key()
    wrapped = wrap_data_key(keyring(), dek, record_id=_record_label(record))
    record.key_id, record.wrapped_key = wrapped.key_id, wrapped.blob
    return record, dek


def _set_field(record: IdentityRecord, dek: bytes, field: str, value: str | None) -> None:
    blob = (
        None
        if value is None
        else encrypt_field(dek, value, record_id=_record_label(record), field=field)
    )
    setattr(record, f"{field}_ct", blob)


def _get_field(record: IdentityRecord, dek: bytes, field: str) -> str | None:
    blob = getattr(record, f"{field}_ct")
    if blob is None:
        return None
    return decrypt_field(dek, blob, record_id=_record_label(record), field=field)


def create_email_identity(session: Session, *, user_id: int, email: str, now: datetime) -> None:
    """Store a newly confirmed address for ``user_id``, encrypted under a fresh data key."""
    create_email_identities(session, [(user_id, email)], now=now)


def create_email_identities(
    session: Session, people: Sequence[tuple[int, str]], *, now: datetime
) -> None:
    """``create_email_identity`` for many accounts at once (user id, address): one INSERT for
    the rows, then one UPDATE by primary key with each row's wrapped key and ciphertexts (a
    ciphertext is bound to its row's id, so the ids must exist first)."""
    if not people:
        return
    rows = [
        {"user_id": user_id, "verification_level": "email", "verified_at": now, "created_at": now}
        for user_id, _ in people
    ]
    ids = session.scalars(
        insert(IdentityRecord).returning(col(IdentityRecord.id), sort_by_parameter_order=True),
        rows,
    ).all()
    ring = keyring()
    values = []
    for record_id, (_, email) in zip(ids, people, strict=True):
        label = f"identity-{record_id}"
        dek = new_data_key()
        wrapped = wrap_data_key(ring, dek, record_id=label)
        values.append(
            {
                "id": record_id,
                "key_id": wrapped.key_id,
                "wrapped_key": wrapped.blob,
                "email_index": email_lookup_index(email),
                "email_ct": encrypt_field(
                    dek, normalise_email(email), record_id=label, field="email"
                ),
            }
        )
    session.execute(update(IdentityRecord), values)


def email_of(session: Session, user_id: int) -> str | None:
    """The address to write to, or None when the person has none (or was erased)."""
    record = _record_of(session, user_id)
    if record is None or record.email_ct is None or record.wrapped_key is None:
        return None
    return _get_field(record, _data_key(record), "email")


def emails_of(session: Session, user_ids: Sequence[int]) -> dict[int, str]:
    """``email_of`` for many accounts in one query (the worker's batch); accounts without an
    address are left out."""
    records = session.exec(
        select(IdentityRecord).where(col(IdentityRecord.user_id).in_(set(user_ids)))
    ).all()
    found = {}
    for record in records:
        if record.user_id is None or record.email_ct is None or record.wrapped_key is None:
            continue
        found[record.user_id] = _get_field(record, _data_key(record), "email") or ""
    return {user_id: email for user_id, email in found.items() if email}


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class SignInRequest:
    email: str
    next_path: str
    has_account: bool


def _new_token(
    session: Session, *, email: str, next_path: str, now: datetime, lifetime: timedelta
) -> tuple[SignInToken, str]:
    raw = secrets.token_urlsafe(32)
    token_hash = _token_hash(raw)
    ring = keyring()
    normalised = normalise_email(email)
    token = SignInToken(
        token_hash=token_hash,
        email_index=email_lookup_index(normalised),
        key_id=ring.active_id,
        email_ct=encrypt_field(
            ring.get(ring.active_id), normalised, record_id=f"token-{token_hash}", field="email"
        ),
        next_path=next_path,
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(token)
    return token, raw


def issue_sign_in_token(
    session: Session, *, email: str, next_path: str, now: datetime, lifetime: timedelta
) -> str:
    """Create a single-use sign-in link token; returns the raw token (only ever in the e-mail)."""
    return _new_token(session, email=email, next_path=next_path, now=now, lifetime=lifetime)[1]


def issue_sign_in_link(
    session: Session, *, email: str, next_path: str, now: datetime, lifetime: timedelta
) -> int:
    """Create a single-use sign-in link that the worker will e-mail: the raw token is kept
    encrypted with the address until the link is used (or purged once expired). Returns the
    token row's id, which is all the outbox holds."""
    token, raw = _new_token(session, email=email, next_path=next_path, now=now, lifetime=lifetime)
    ring = keyring()
    token.link_ct = encrypt_field(
        ring.get(token.key_id), raw, record_id=f"token-{token.token_hash}", field="link"
    )
    session.flush()
    assert token.id is not None, "flushed, so it has its id"
    return token.id


@dataclass(frozen=True)
class PendingLink:
    """What the e-mail of a sign-in link needs, read at delivery: where it goes, and the link."""

    email: str
    token: str


def pending_sign_in_link(session: Session, token_id: int, *, now: datetime) -> PendingLink | None:
    """The address and raw token of a link still worth sending: None once it has been used,
    has expired, was erased with its owner's identity, or was never meant to be e-mailed."""
    token = session.get(SignInToken, token_id)
    if token is None or token.link_ct is None or token.used_at is not None:
        return None
    if now >= token.expires_at:
        return None
    return PendingLink(email=_token_email(token), token=_token_link(token))


def _token_link(token: SignInToken) -> str:
    assert token.link_ct is not None, "checked by the caller"
    return decrypt_field(
        keyring().get(token.key_id),
        token.link_ct,
        record_id=f"token-{token.token_hash}",
        field="link",
    )


TOKEN_GRACE = timedelta(hours=1)  # used and expired links still say so for an hour


def purge_sign_in_tokens(session: Session, *, now: datetime) -> int:
    """Delete links used or expired more than ``TOKEN_GRACE`` ago; returns how many."""
    cutoff = now - TOKEN_GRACE
    purged = session.exec(
        delete(SignInToken).where(
            or_(col(SignInToken.expires_at) <= cutoff, col(SignInToken.used_at) <= cutoff)
        )
    )
    return purged.rowcount


def _usable_token(session: Session, raw: str, now: datetime) -> SignInToken:
    token = session.exec(
        select(SignInToken).where(SignInToken.token_hash == _token_hash(raw))
    ).first()
    if token is None:
        raise NotFound("This sign-in link is not valid. Ask for a new one.")
    if token.used_at is not None:
        raise LinkInvalid("This sign-in link has already been used. Ask for a new one.")
    if now >= token.expires_at:
        raise LinkInvalid(
            "This sign-in link has expired. Links last 15 minutes; ask for a new one."
        )
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
    claimed = session.exec(
        update(SignInToken)
        .where(col(SignInToken.id) == token.id, col(SignInToken.used_at).is_(None))
        .values(used_at=now, link_ct=None)  # the raw token is no longer needed anywhere
    )
    if claimed.rowcount != 1:  # another request used it a moment ago
        raise LinkInvalid("This sign-in link has already been used. Ask for a new one.")
    email = _token_email(token)
    has_account = find_user_id_by_email(session, email) is not None
    return SignInRequest(email=email, next_path=token.next_path, has_account=has_account)


def _token_email(token: SignInToken) -> str:
    return decrypt_field(
        keyring().get(token.key_id),
        token.email_ct,
        record_id=f"token-{token.token_hash}",
        field="email",
    )


# Exclusions (bans) that outlive the account ---------------------------------------------------


def exclude_identity(session: Session, user_id: int) -> bool:
    """Remember that the person behind ``user_id`` is excluded, by their address's blind index,
    so that the ban survives deleting the account. False when there is no address on record."""
    from app.identity.vault.models import Exclusion

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
    from app.identity.vault.models import Exclusion

    return session.get(Exclusion, email_lookup_index(email)) is not None


# Verified identities (OpenID Connect) -------------------------------------------------------


class IdentityTaken(Conflict):
    """One verified person, one account: this identity already belongs to another account."""

    title = i18n.N_("This identity is linked to another account")


@dataclass(frozen=True)
class Identity:
    """Everything the vault holds about one person, decrypted. Never given to a template
    except the custodian's one-time view and the person's own data download."""

    email: str | None
    name: str | None
    birthdate: str | None
    issuer: str | None
    subject: str | None
    verification_level: str
    verified_at: datetime
    created_at: datetime

    def as_dict(self) -> dict[str, str | None]:
        return {
            "email": self.email,
            "name": self.name,
            "birthdate": self.birthdate,
            "issuer": self.issuer,
            "subject": self.subject,
            "verification_level": self.verification_level,
            "verified_at": self.verified_at.isoformat(),
            "created_at": self.created_at.isoformat(),
        }


def provider_subject_index(issuer: str, subject: str) -> str:
    return subject_index(_index_key(), issuer, subject)


def find_user_id_by_subject(session: Session, *, issuer: str, subject: str) -> int | None:
    return _owner(
        session, col(IdentityRecord.subject_index) == provider_subject_index(issuer, subject)
    )


def _record_of(session: Session, user_id: int) -> IdentityRecord | None:
    return session.exec(select(IdentityRecord).where(IdentityRecord.user_id == user_id)).first()


def record_verified_identity(
    session: Session,
    *,
    user_id: int,
    issuer: str,
    subject: str,
    email: str | None,
    name: str | None,
    birthdate: str | None,
    level: str,
    now: datetime,
) -> None:
    """Attach a provider-verified identity to ``user_id``'s vault record (creating it if needed).

    The (issuer, subject) pair and the e-mail address are unique across the vault: an identity
    that already belongs to another account is refused (``IdentityTaken``). The account keeps
    the address it signed up with; a provider address is stored only if it has none.
    """
    wanted = provider_subject_index(issuer, subject)
    owner = _owner(session, col(IdentityRecord.subject_index) == wanted)
    if owner is not None and owner != user_id:
        raise IdentityTaken(
            "This identity is already linked to another account. One person "
            "may hold only one account: sign in to that account instead."
        )
    record = _record_of(session, user_id)
    if record is None or record.wrapped_key is None:
        record, dek = _new_record(session, user_id=user_id, now=now, level=level)
    else:
        dek = _data_key(record)
    if record.subject_index not in (None, wanted):
        raise IdentityTaken("This account is already linked to a different verified identity.")
    if email and record.email_ct is None:
        index = email_lookup_index(email)
        other = _owner(session, col(IdentityRecord.email_index) == index)
        if other is not None and other != user_id:
            raise IdentityTaken(
                "The e-mail address of this identity belongs to another "
                "account. Sign in to that account instead."
            )
        record.email_index = index
        _set_field(record, dek, "email", normalise_email(email))
    record.subject_index = wanted
    _set_field(record, dek, "issuer", issuer)
    _set_field(record, dek, "subject", subject)
    _set_field(record, dek, "name", name)
    _set_field(record, dek, "birthdate", birthdate)
    record.verification_level = level
    record.verified_at = now
    session.add(record)
    session.flush()


def identity_of(session: Session, user_id: int) -> Identity | None:
    """The decrypted identity of ``user_id``; None if there is none or it was erased."""
    record = _record_of(session, user_id)
    if record is None or record.wrapped_key is None:
        return None
    dek = _data_key(record)
    return Identity(
        email=_get_field(record, dek, "email"),
        name=_get_field(record, dek, "name"),
        birthdate=_get_field(record, dek, "birthdate"),
        issuer=_get_field(record, dek, "issuer"),
        subject=_get_field(record, dek, "subject"),
        verification_level=record.verification_level,
        verified_at=record.verified_at,
        created_at=record.created_at,
    )


def erase_identity(session: Session, *, user_id: int, now: datetime) -> bool:
    """Crypto-shred ``user_id``'s record: the wrapped data key is destroyed (so every copy of the
    ciphertexts, backups included, is unreadable), the ciphertexts and blind indexes cleared,
    and the row detached from the account. Pending sign-in links for the address go too.
    Returns whether there was a record to erase."""
    record = _record_of(session, user_id)
    if record is None:
        return False
    if record.email_index:
        session.execute(
            delete(SignInToken).where(col(SignInToken.email_index) == record.email_index)
        )
    record.wrapped_key = None
    record.key_id = None
    for field in ("email", "name", "birthdate", "issuer", "subject"):
        setattr(record, f"{field}_ct", None)
    record.email_index = None
    record.subject_index = None
    record.user_id = None
    record.erased_at = now
    session.add(record)
    session.flush()
    return True
