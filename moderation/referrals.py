"""Police referrals and their evidence bundle, with a chain-of-custody log.

The bundle is a ZIP of JSON and plain-text files only (nothing a browser would run): the
evidence snapshots byte for byte, a manifest of their SHA-256 digests, the reports, the
decision history and the custody log, including the entry for this very download. The
author's identity is included only when ``hooks.disclosed_identity`` returns one, which it
does only through an approved disclosure (the identity vault's job; ``None`` by default).
Member names are built from ids and cleaned by ``safe_member_name``: they cannot leave the
archive's folder.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from kernel import i18n
from kernel.errors import FormInvalid, NotFound
from kernel.text import clean
from moderation import evidence, hooks
from moderation.cases import case_rows, get_case
from moderation.evidence import canonical_json, digest
from moderation.models import (
    CustodyEntry,
    Decision,
    ModerationCase,
    PoliceReferral,
    Report,
    saved_id,
)
from moderation.posts import pseudonyms

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_member_name(name: str) -> str:
    """A ZIP member name that stays inside the archive: folders kept only if each part is
    clean, no ``..``, no leading ``/`` or dots, no drive letters or backslashes."""
    parts = []
    for part in re.split(r"[\\/]+", name):
        part = _UNSAFE.sub("_", part).strip("._")
        if part:
            parts.append(part[:100])
    return "/".join(parts) or "unnamed"


def _text(value: str | None, limit: int) -> str:
    return clean(value, single_line=True)[:limit]


def _custody(
    session: Session, *, referral_id: int, actor_id: int, action: str, detail: str, now: datetime
) -> None:
    """One entry in the referral's chain of custody."""
    session.add(
        CustodyEntry(
            referral_id=referral_id,
            actor_id=actor_id,
            action=action,
            detail=detail,
            occurred_at=now,
        )
    )


def create_referral(
    session: Session,
    *,
    case: ModerationCase,
    decision: Decision | None,
    actor_id: int,
    force: str,
    police_reference: str,
    now: datetime,
) -> PoliceReferral:
    case_id = saved_id(case)
    referral = PoliceReferral(
        case_id=case_id,
        decision_id=decision.id if decision else None,
        force=_text(force, 120),
        police_reference=_text(police_reference, 80),
        created_by=actor_id,
        created_at=now,
    )
    session.add(referral)
    session.flush()
    referral_id = saved_id(referral)
    _custody(
        session,
        referral_id=referral_id,
        actor_id=actor_id,
        action="created",
        detail="Referral prepared",
        now=now,
    )
    hooks.audit(
        session,
        actor_id=actor_id,
        action="moderation.referral.create",
        subject_type="referral",
        subject_id=referral_id,
        details={"case_id": case_id},
        now=now,
    )
    session.flush()
    return referral


def update_referral(
    session: Session,
    *,
    referral_id: int,
    actor_id: int,
    force: str | None,
    police_reference: str | None,
    now: datetime,
) -> PoliceReferral:
    referral = get_referral(session, referral_id)
    force, police_reference = _text(force, 120), _text(police_reference, 80)
    if not force and not police_reference:
        raise FormInvalid({"force": i18n._("Enter the police force, their reference, or both.")})
    if force:
        referral.force = force
    if police_reference:
        referral.police_reference = police_reference
    session.add(referral)
    _custody(
        session,
        referral_id=referral_id,
        actor_id=actor_id,
        action="updated",
        detail="Police force or reference recorded",
        now=now,
    )
    hooks.audit(
        session,
        actor_id=actor_id,
        action="moderation.referral.update",
        subject_type="referral",
        subject_id=referral_id,
        details={},
        now=now,
    )
    session.flush()
    return referral


def get_referral(session: Session, referral_id: int) -> PoliceReferral:
    referral = session.get(PoliceReferral, referral_id)
    if referral is None:
        raise NotFound(i18n._("There is no such referral."))
    return referral


def _who(names: Mapping[int, str], account_id: int | None) -> str:
    return names.get(account_id, "unknown") if account_id is not None else "unknown"


def build_bundle(
    session: Session, *, referral_id: int, actor_id: int, now: datetime
) -> tuple[str, bytes]:
    """The evidence bundle as (file name, ZIP bytes); records the download in the custody
    log first, so the bundle's own log shows it."""
    referral = get_referral(session, referral_id)
    case = get_case(session, referral.case_id)
    case_id = referral.case_id
    _custody(
        session,
        referral_id=referral_id,
        actor_id=actor_id,
        action="downloaded",
        detail="Evidence bundle generated",
        now=now,
    )
    session.flush()
    snapshots = evidence.snapshots_of(session, case_id)
    reports = case_rows(session, Report, case_id)
    decisions = case_rows(session, Decision, case_id)
    custody = session.exec(
        select(CustodyEntry)
        .where(CustodyEntry.referral_id == referral_id)
        .order_by(col(CustodyEntry.id))
    ).all()
    names = pseudonyms(
        session,
        {d.moderator_id for d in decisions if d.moderator_id}
        | {c.actor_id for c in custody if c.actor_id},
    )
    files: dict[str, bytes] = {}
    for snap in snapshots:
        files[safe_member_name(f"snapshots/snapshot-{snap.id}.json")] = snap.content.encode()
    files["reports.json"] = canonical_json(
        [
            {
                "reference": r.reference,
                "reason": r.reason,
                "about_reporter": r.is_about_reporter,
                "note": r.note,
                "reported_at": r.created_at.isoformat(),
                "outcome": r.outcome,
            }
            for r in reports
        ]
    ).encode()
    files["decisions.json"] = canonical_json(
        [
            {
                "id": d.id,
                "action": d.action,
                "basis": d.basis,
                "basis_kind": d.basis_kind,
                "statement": d.statement,
                "automation_involved": d.is_automated,
                "moderator": _who(names, d.moderator_id),
                "made_on_version": d.case_version,
                "decided_at": d.created_at.isoformat(),
            }
            for d in decisions
        ]
    ).encode()
    files["custody.json"] = canonical_json(
        [
            {
                "action": c.action,
                "detail": c.detail,
                "by": _who(names, c.actor_id),
                "at": c.occurred_at.isoformat(),
            }
            for c in custody
        ]
    ).encode()
    identity = None
    if case.author_id is not None:
        identity = hooks.disclosed_identity(session, user_id=case.author_id, case_id=case_id)
    if identity:
        files["identity.json"] = canonical_json(dict(identity)).encode()
    files["referral.json"] = canonical_json(
        {
            "referral_id": referral_id,
            "case_id": case_id,
            "force": referral.force,
            "police_reference": referral.police_reference,
            "created_at": referral.created_at.isoformat(),
            "generated_at": now.isoformat(),
            "identity_included": bool(identity),
        }
    ).encode()
    manifest = {name: digest_bytes(data) for name, data in sorted(files.items())}
    snapshot_digests = {f"snapshot-{s.id}": s.sha256 for s in snapshots}
    files["manifest.json"] = canonical_json(
        {"files": manifest, "stored_snapshot_sha256": snapshot_digests}
    ).encode()
    files["README.txt"] = (
        f"Evidence bundle for case {case_id}, referral {referral_id}, generated "
        f"{now:%Y-%m-%d %H:%M} UTC.\nEvery file is JSON or plain text. "
        "manifest.json lists the SHA-256 of each file; each snapshot's digest "
        "equals the one stored when it was captured.\n"
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(
                zipfile.ZipInfo(safe_member_name(name), date_time=now.timetuple()[:6]), data
            )
    hooks.audit(
        session,
        actor_id=actor_id,
        action="moderation.referral.download",
        subject_type="referral",
        subject_id=referral_id,
        details={"bundle_sha256": digest_bytes(buffer.getvalue())},
        now=now,
    )
    return safe_member_name(f"reclaim-case-{case_id}-referral-{referral_id}.zip"), buffer.getvalue()


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["build_bundle", "create_referral", "digest", "safe_member_name", "update_referral"]
