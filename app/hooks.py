"""The site's hook registry (``kernel.hooks``): the specifications the domains declare and the
plugins that answer them.

``SiteHooks`` is how the site answers the moderation domain: the audit log, e-mail queued in the
outbox (the address stays in the identity vault until the worker sends it), the vault's
exclusion list, the moderation settings, and identity only through
``app.identity.disclosure.identity_for_referral`` (a custodian's request for a police referral
about the author, approved by a second custodian). It also answers participation (new answers
ask for the campaigns to be found again) and the outbox (committed work wakes this process's
worker). The moderation domain answers the site's question of which contributions are under
legal hold (``moderation.hookimpls``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from app.analysis.grouping import request_regrouping
from app.audit import log as audit
from app.identity import disclosure, disclosure_views
from app.identity.hookspecs import PersonalDataSpec
from app.identity.vault import service as vault
from app.outbox.hookspecs import OutboxSpec
from app.outbox.queue import Template, queue_mail
from app.outbox.wakeup import Wakeup
from app.participation.hookspecs import ParticipationSpec
from app.settings import Settings
from kernel.hooks import Registry, hookimpl, registry
from moderation import hookimpls as moderation_answers
from moderation.hookspecs import AuditRecord, ModerationSettings, ModerationSpec


class SiteHooks:
    """The site's answers to the domains' hooks, for one site's settings and worker."""

    def __init__(self, settings: Settings, wakeup: Wakeup) -> None:
        self.settings = settings
        self.wakeup = wakeup
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
        self, session: Session, recipient_id: int, notice_id: int, now: datetime
    ) -> None:
        queue_mail(
            session,
            template=Template.moderation_notice,
            recipient_id=recipient_id,
            params={"notice_id": notice_id},
            now=now,
        )

    @hookimpl
    def post_published(self, session: Session, post_id: int, now: datetime) -> None:
        from app.participation.reply_notices import queue_for_published

        queue_for_published(session, post_id=post_id, now=now)

    @hookimpl
    def answers_changed(self, session: Session, consultation_id: int, now: datetime) -> None:
        delay = timedelta(seconds=self.settings.campaign_regroup_seconds)
        request_regrouping(session, consultation_id=consultation_id, now=now, delay=delay)

    @hookimpl
    def work_queued(self) -> None:
        self.wakeup.notify()

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


def make_hooks(settings: Settings, wakeup: Wakeup) -> Registry:
    return registry(
        specs=[ModerationSpec, PersonalDataSpec, ParticipationSpec, OutboxSpec],
        plugins=[SiteHooks(settings, wakeup), moderation_answers],
    )
