"""Disclosures of an identity (requested, decided, viewed) and the OpenID Connect logins in
flight. Neither table holds identifying data: the identity stays in the vault."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from kernel import i18n
from kernel.clock import utcnow
from kernel.tables import UTCDateTime


class DisclosureReason(StrEnum):
    police_referral = "police_referral"
    banned_person = "banned_person"
    court_order = "court_order"
    own_request = "own_request"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = i18n.Labels(
    {
        DisclosureReason.police_referral: i18n.N_("Police referral"),
        DisclosureReason.banned_person: i18n.N_("Exclusion of a banned person"),
        DisclosureReason.court_order: i18n.N_("Court order"),
        DisclosureReason.own_request: i18n.N_("The person's own request"),
    }
)


class DisclosureStatus(StrEnum):
    pending = "pending"  # waiting for a second custodian
    approved = "approved"  # the requester may view the identity once, until view_expires_at
    refused = "refused"
    viewed = "viewed"  # the identity was shown to the requester (once)


class Disclosure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    subject_user_id: int | None = Field(
        default=None, foreign_key="account.id", index=True, ondelete="SET NULL"
    )
    requested_by_id: int = Field(foreign_key="account.id", index=True)
    reason_category: str = Field(max_length=30, index=True)
    reason: str = Field(sa_type=Text)
    # What the request is for, so that the approver can check it: a police referral must name
    # one; a moderation case may be named for any reason (both about the same participant).
    case_id: int | None = Field(default=None, foreign_key="moderation_case.id", ondelete="SET NULL")
    referral_id: int | None = Field(
        default=None, foreign_key="moderation_referral.id", ondelete="SET NULL"
    )
    # A police referral may ask that the person is not told yet: until then the disclosure
    # is not listed on their account page.
    notice_delayed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default=DisclosureStatus.pending, max_length=20, index=True)
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="account.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_note: str = Field(default="", max_length=1000)
    view_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    viewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OidcLogin(SQLModel, table=True):
    """An OpenID Connect authorization request in flight (state, nonce, PKCE verifier).

    Only the SHA-256 of ``state`` is stored; the raw state is also in a short-lived cookie, so
    a callback must come back to the browser that started it. Used once, then kept briefly.
    """

    __tablename__ = "oidc_login"

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True)
    nonce: str = Field(max_length=128)
    code_verifier: str = Field(max_length=128)
    next_path: str = Field(default="/", max_length=500)
    user_id: int | None = Field(default=None, foreign_key="account.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
