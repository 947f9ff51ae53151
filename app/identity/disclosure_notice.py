"""Telling a person by e-mail that their identity was disclosed.

The message is queued when a disclosure is approved, in the same transaction, and not sent
before the end of any delay a police referral asked for (``notice_delayed_until``): the
outbox's ``not_before``. It says when and why, never who asked or what was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.identity.models import REASON_LABELS, Disclosure, DisclosureReason, DisclosureStatus
from app.outbox.queue import Template, queue_mail


def queue_disclosure_notice(session: Session, disclosure: Disclosure, *, now: datetime) -> None:
    if disclosure.subject_user_id is None or disclosure.id is None:
        return
    queue_mail(
        session,
        template=Template.disclosure_notice,
        recipient_id=disclosure.subject_user_id,
        params={"disclosure_id": disclosure.id},
        not_before=disclosure.notice_delayed_until,
        dedupe_key=f"disclosure:{disclosure.id}",
        now=now,
    )


@dataclass(frozen=True)
class DisclosureNotice:
    reason_label: str
    disclosed_at: datetime


def disclosure_notice(session: Session, disclosure_id: int) -> DisclosureNotice | None:
    """What the e-mail says about an approved disclosure; None if there is none."""
    disclosure = session.get(Disclosure, disclosure_id)
    if disclosure is None or disclosure.decided_at is None:
        return None
    if disclosure.status not in (DisclosureStatus.approved, DisclosureStatus.viewed):
        return None
    return DisclosureNotice(
        reason_label=REASON_LABELS[DisclosureReason(disclosure.reason_category)],
        disclosed_at=disclosure.decided_at,
    )
