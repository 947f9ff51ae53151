"""What moderation needs from the rest of the site, declared as hooks (``kernel.hooks``).

``moderation`` never imports ``app``: the site answers these with a plugin of its own when it
builds its registry. Moderation calls them through ``moderation.hooks``, which supplies the safe
defaults: no identity, no e-mail, and no moderator action at all without an audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from kernel.hooks import hookspec
from moderation.states import APPEAL_WINDOW, CLAIM_DURATION


@dataclass(frozen=True)
class AuditRecord:
    """One entry for the hash-chained audit log: who did what to which subject, and when."""

    actor_id: int | None
    action: str
    subject_type: str
    subject_id: int | str
    details: dict[str, Any]
    now: datetime


@dataclass(frozen=True)
class ModerationSettings:
    """The site's moderation settings (defaults are the design's)."""

    claim_duration: timedelta = CLAIM_DURATION
    appeal_window: timedelta = APPEAL_WINDOW
    auto_hide_threshold: int = 3
    site_name: str = "Reclaim"
    base_url: str = "http://127.0.0.1:8000"


class ModerationSpec:
    @hookspec(firstresult=True)
    def moderation_settings(self) -> ModerationSettings | None:
        """The site's moderation settings."""

    @hookspec
    def record_audit(self, session: Session, record: AuditRecord) -> None:
        """Append one entry to the hash-chained audit log, in the caller's transaction."""

    @hookspec(firstresult=True)
    def audited_details(
        self, session: Session, action: str, subject_type: str, subject_ids: list[str]
    ) -> Mapping[str, Mapping[str, Any]] | None:
        """The details of the audit log's entries of ``action`` about these subjects, by
        subject id (the first entry of each)."""

    @hookspec
    def notify_participant(
        self, session: Session, recipient_id: int, notice_id: int, now: datetime
    ) -> None:
        """E-mail a participant the in-site notice ``notice_id``, by account id, in the
        caller's transaction (the site queues it; the address stays in the identity vault)."""

    @hookspec
    def post_published(self, session: Session, post_id: int, now: datetime) -> None:
        """A post that waited for a moderator is now published (the site tells whoever asked
        to hear of replies, in the caller's transaction)."""

    @hookspec
    def exclude_identity(self, session: Session, user_id: int) -> None:
        """Record an excluded person's identity, so that the ban survives deleting the
        account."""

    @hookspec(firstresult=True)
    def disclosed_identity(
        self, session: Session, user_id: int, case_id: int
    ) -> Mapping[str, str] | None:
        """The author's identity, only through a disclosure approved for this case's referral."""

    @hookspec
    def disclosure_counts(self, session: Session) -> dict[str, int]:
        """Approved disclosures by reason, for the transparency report."""
        return {}  # a specification's body is never run: pluggy calls the implementations
