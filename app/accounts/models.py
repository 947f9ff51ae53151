"""Accounts: the public side of a participant. Nothing here identifies a person."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from kernel.clock import utcnow
from kernel.tables import UTCDateTime


class Role(StrEnum):
    citizen = "citizen"
    moderator = "moderator"
    organiser = "organiser"
    custodian = "custodian"
    admin = "admin"


class AccountStatus(StrEnum):
    active = "active"
    suspended = "suspended"
    excluded = "excluded"
    deleted = "deleted"


class VerificationLevel(StrEnum):
    """Ordered: none < email < identity."""

    none = "none"
    email = "email"
    identity = "identity"

    @property
    def rank(self) -> int:
        return ["none", "email", "identity"].index(self.value)


class UserBase(SQLModel):
    pseudonym: str = Field(max_length=40, unique=True, index=True)


class User(UserBase, table=True):
    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    roles: str = Field(default="citizen", max_length=200)
    status: str = Field(default=AccountStatus.active, max_length=20)
    verification_level: str = Field(default=VerificationLevel.email, max_length=20)
    suspended_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Opted in to an e-mail when someone replies to one of this account's posts.
    notify_replies: bool = Field(default=False)
    # The language of the person's e-mails: the one they last chose or signed in with.
    language: str = Field(default="en", max_length=8)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles.split() if r)

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    @property
    def level(self) -> VerificationLevel:
        return VerificationLevel(self.verification_level)


class UserPublic(UserBase):
    """What pages may know of the signed-in person: never who they are."""

    id: int
    roles: list[str]

    @classmethod
    def of(cls, user: User) -> UserPublic:
        assert user.id is not None, "a stored account"
        return cls(id=user.id, pseudonym=user.pseudonym, roles=sorted(user.roles.split()))


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "user_session"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
