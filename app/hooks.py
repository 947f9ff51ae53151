"""The site's hook registry (``kernel.hooks``): the specifications the domains declare and the
plugins that answer them.

``SiteHooks`` is how the site answers the moderation domain: the audit log, e-mail through the
identity vault, the vault's exclusion list, the moderation settings, and identity only through
``app.identity.disclosure.identity_for_referral`` (a custodian's request for a police referral
about the author, approved by a second custodian). The moderation domain answers the site's
question of which contributions are under legal hold (``moderation.hookimpls``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.audit import log as audit
from app.identity import disclosure, disclosure_views
from app.identity.hookspecs import PersonalDataSpec
from app.identity.vault import service as vault
from app.mail import Mail, Mailer
from app.settings import Settings
from kernel.hooks import Registry, hookimpl, registry
from moderation import hookimpls as moderation_answers
from moderation.hookspecs import AuditRecord, ModerationSettings, ModerationSpec


class SiteHooks:
    """The site's answers to the moderation domain, for one site's settings and mailer."""

    def __init__(self, settings: Settings, mailer: Mailer) -> None:
        self.settings = settings
        self.mailer = mailer
        self._moderation = ModerationSettings(
            claim_duration=timedelta(minutes=settings.moderation_claim_minutes),
            appeal_window=timedelta(days=settings.appeal_window_days),
            auto_hide_threshold=settings.auto_hide_reporters,
            site_name=settings.site_name,
            base_url=settings.base_url,
        )

    @hookimpl
    def moderation_settings(self) -> ModerationSettings:
        return self._moderation

    @hookimpl
    def record_audit(self, session: Session, record: AuditRecord) -> None:
        audit.record(
            session,
            actor_id=record.actor_id,
            action=record.action,
            subject_type=record.subject_type,
            subject_id=record.subject_id,
            details=record.details,
            now=record.now,
        )

    @hookimpl
    def audited_details(
        self, session: Session, action: str, subject_type: str, subject_ids: list[str]
    ) -> Mapping[str, Mapping[str, Any]]:
        return audit.details_of(
            session, action=action, subject_type=subject_type, subject_ids=subject_ids
        )

    @hookimpl
    def notify_participant(
        self, session: Session, recipient_id: int, subject: str, body: str
    ) -> None:
        address = vault.email_of(session, recipient_id)
        if address:
            self.mailer.send(
                Mail(to=address, subject=f"{self.settings.site_name}: {subject}", body=body)
            )

    @hookimpl
    def exclude_identity(self, session: Session, user_id: int) -> None:
        vault.exclude_identity(session, user_id)

    @hookimpl
    def disclosed_identity(
        self, session: Session, user_id: int, case_id: int
    ) -> Mapping[str, str] | None:
        return disclosure.identity_for_referral(session, user_id=user_id, case_id=case_id)

    @hookimpl
    def disclosure_counts(self, session: Session) -> dict[str, int]:
        return disclosure_views.approved_counts(session)


def make_hooks(settings: Settings, mailer: Mailer) -> Registry:
    return registry(
        specs=[ModerationSpec, PersonalDataSpec],
        plugins=[SiteHooks(settings, mailer), moderation_answers],
    )
