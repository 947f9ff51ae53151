"""Connects the moderation package to the site: the audit log, e-mail through the vault, the
vault's exclusion list and the moderation settings (see ``moderation.ports``).

Identity enters an evidence bundle only through ``app.disclosure.identity_for_referral``: a
custodian's request for a police referral about the author, approved by a second custodian.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app import legal_hold
from app.audit import log as audit
from app.identity import disclosure
from app.identity.vault import service as vault
from app.mail import Mail, get_mailer
from app.settings import Settings
from moderation import evidence, ports


def install(settings: Settings) -> None:
    legal_hold.register(evidence.held_post_ids)
    mailer = get_mailer(settings)

    def send_email(session: Session, *, recipient_id: int, subject: str, body: str) -> None:
        address = vault.email_of(session, recipient_id)
        if address:
            mailer.send(Mail(to=address, subject=f"{settings.site_name}: {subject}", body=body))

    def exclude_identity(session: Session, *, user_id: int) -> None:
        vault.exclude_identity(session, user_id)

    ports.configure(
        audit=audit.record,
        send_email=send_email,
        exclude_identity=exclude_identity,
        disclosed_identity=disclosure.identity_for_referral,
        disclosure_counts=disclosure.approved_counts,
        claim_duration=timedelta(minutes=settings.moderation_claim_minutes),
        appeal_window=timedelta(days=settings.appeal_window_days),
        auto_hide_threshold=settings.auto_hide_reporters,
        site_name=settings.site_name,
        base_url=settings.base_url,
    )
