"""The identity vault's tables. Only ``app.vault`` reads or writes them.

Every identifying attribute is AES-256-GCM ciphertext under the person's own data key, which is
itself wrapped by a key-encryption key from settings (``key_id`` names it). Look-ups go through
keyed blind indexes (HMAC), never through plaintext.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from kernel.clock import utcnow
from kernel.tables import UTCDateTime


class IdentityRecord(SQLModel, table=True):
    __tablename__ = "vault_identity"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(
        default=None, foreign_key="account.id", unique=True, ondelete="SET NULL"
    )
    key_id: str | None = Field(default=None, max_length=32, index=True)
    wrapped_key: bytes | None = Field(default=None)
    email_index: str | None = Field(default=None, max_length=64, unique=True)
    subject_index: str | None = Field(default=None, max_length=64, unique=True)
    email_ct: bytes | None = Field(default=None)
    name_ct: bytes | None = Field(default=None)
    birthdate_ct: bytes | None = Field(default=None)
    issuer_ct: bytes | None = Field(default=None)
    subject_ct: bytes | None = Field(default=None)
    verification_level: str = Field(default="email", max_length=20)
    verified_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SignInToken(SQLModel, table=True):
    """A single-use e-mail link. The token is stored hashed; the address encrypted. A link
    that the worker is to e-mail also keeps the raw token, encrypted (``link_ct``), until the
    link is used: the message is put together only when it is delivered."""

    __tablename__ = "vault_sign_in_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    email_index: str = Field(max_length=64, index=True)
    key_id: str = Field(max_length=32)
    email_ct: bytes
    link_ct: bytes | None = Field(default=None)
    next_path: str = Field(default="/", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Exclusion(SQLModel, table=True):
    """An excluded (banned) person, by the blind index of their address. It outlives the
    account, so that the person cannot sign up again with the same address."""

    __tablename__ = "vault_exclusion"

    email_index: str = Field(primary_key=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
