"""What moderation needs from the rest of the site, registered by the web application.

``moderation`` never imports ``app``. At start-up ``create_app`` calls ``configure`` with:

- ``audit``: writes one entry of the hash-chained audit log in the caller's transaction
  (``app.audit.record``); every moderator action goes through it;
- ``send_email``: e-mails a participant by account id (the address stays in the vault);
- ``exclude_identity``: records an excluded person's blind index in the vault, so that the
  ban survives deleting the account;
- ``disclosed_identity``: the author's identity *only through an approved disclosure*.
  Disclosure belongs to the identity vault (another part of the site); until it registers a
  provider this returns ``None`` and evidence bundles carry no identity;
- ``disclosure_counts``: approved disclosures by reason, for the transparency report (empty
  until the vault provides it);
- the moderation settings (claim time, appeal window, auto-hide threshold, site name, base URL).

Defaults are safe: no identity, no e-mail; ``audit`` refuses to run unconfigured, so a
moderator action can never silently skip the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from moderation.states import APPEAL_WINDOW, CLAIM_DURATION


def _no_audit(session: Session, **entry: Any) -> None:
    raise RuntimeError("moderation.ports: no audit sink is registered (call configure)")


def _no_email(session: Session, *, recipient_id: int, subject: str, body: str) -> None:
    return None


def _no_exclusion(session: Session, *, user_id: int) -> None:
    return None


def _no_identity(session: Session, *, user_id: int, case_id: int) -> Mapping[str, str] | None:
    return None


def _no_disclosures(session: Session) -> dict[str, int]:
    return {}


AuditSink = Callable[..., Any]


@dataclass(frozen=True)
class Ports:
    audit: AuditSink = _no_audit
    send_email: Callable[..., None] = _no_email
    exclude_identity: Callable[..., None] = _no_exclusion
    disclosed_identity: Callable[..., Mapping[str, str] | None] = _no_identity
    disclosure_counts: Callable[[Session], dict[str, int]] = _no_disclosures
    claim_duration: timedelta = CLAIM_DURATION
    appeal_window: timedelta = APPEAL_WINDOW
    auto_hide_threshold: int = 3
    site_name: str = "Reclaim"
    base_url: str = "http://127.0.0.1:8000"
    extra: dict[str, Any] = field(default_factory=dict)


_current = Ports()


def configure(**changes: Any) -> Ports:
    """Replace some ports (unnamed ones keep their current value)."""
    global _current
    _current = replace(_current, **changes)
    return _current


def reset() -> None:
    global _current
    _current = Ports()


def get() -> Ports:
    return _current


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
    _current.audit(
        session,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=dict(details or {}),
        now=now,
    )
