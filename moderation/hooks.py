"""Moderation's side of its hooks (``moderation.hookspecs``): each call goes to the plugins of
the site whose session it is given, with safe answers when none is registered.

``audit`` refuses to run when nothing records it, so a moderator action can never silently
skip the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from kernel import hooks
from moderation.hookspecs import AuditRecord, ModerationSettings

DEFAULT_SETTINGS = ModerationSettings()


class AuditNotConfigured(RuntimeError):
    """No plugin records the audit log: a moderator action must not go unrecorded."""


def settings(session: Session) -> ModerationSettings:
    answer: ModerationSettings | None = hooks.of(session).moderation_settings()
    return answer or DEFAULT_SETTINGS


def audit(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | str,
    details: Mapping[str, Any] | None = None,
    now: datetime,
) -> None:
    if not hooks.implemented(session, "record_audit"):
        raise AuditNotConfigured("moderation: no plugin records the audit log")
    record = AuditRecord(
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=dict(details or {}),
        now=now,
    )
    hooks.of(session).record_audit(session=session, record=record)


def audited_details(
    session: Session, *, action: str, subject_type: str, subject_ids: list[str]
) -> Mapping[str, Mapping[str, Any]]:
    """What the audit log recorded for ``action`` about each subject (none without a log)."""
    answer: Mapping[str, Mapping[str, Any]] | None = hooks.of(session).audited_details(
        session=session, action=action, subject_type=subject_type, subject_ids=subject_ids
    )
    return answer or {}


def notify_participant(
    session: Session, *, recipient_id: int, notice_id: int, now: datetime
) -> None:
    hooks.of(session).notify_participant(
        session=session, recipient_id=recipient_id, notice_id=notice_id, now=now
    )


def post_published(session: Session, *, post_id: int, now: datetime) -> None:
    if hooks.implemented(session, "post_published"):
        hooks.of(session).post_published(session=session, post_id=post_id, now=now)


def exclude_identity(session: Session, *, user_id: int) -> None:
    hooks.of(session).exclude_identity(session=session, user_id=user_id)


def disclosed_identity(session: Session, *, user_id: int, case_id: int) -> Mapping[str, str] | None:
    result: Mapping[str, str] | None = hooks.of(session).disclosed_identity(
        session=session, user_id=user_id, case_id=case_id
    )
    return result


def disclosure_counts(session: Session) -> dict[str, int]:
    counts: dict[str, int] = {}
    for answer in hooks.of(session).disclosure_counts(session=session):
        for reason, n in answer.items():
            counts[reason] = counts.get(reason, 0) + n
    return counts
