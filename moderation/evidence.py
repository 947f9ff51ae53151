"""Evidence snapshots: the post as shown, fingerprinted with SHA-256, kept whatever happens.

A snapshot is taken at the first report (or when automation holds a post), again whenever
the author edits or deletes the post while a case exists, and never changed afterwards.
``content`` is canonical JSON (sorted keys, no extra spaces, UTF-8) and ``sha256`` its digest,
so anyone holding a copy can check it. The digest is also written to the hash-chained audit log
when the snapshot is taken (``moderation.evidence.captured``), so ``verify`` finds a snapshot
whose content and stored digest were rewritten together: the chain still holds the first one.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from kernel.batches import keyset_batches
from moderation import hooks, posts
from moderation.cases import case_rows
from moderation.models import EvidenceSnapshot, ModerationCase, PoliceReferral, saved_id
from moderation.states import CaseState

CAPTURED = "moderation.evidence.captured"  # the audit entry that records a snapshot's hash
SUBJECT = "evidence_snapshot"


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _post_record(post: posts.Post) -> dict[str, Any]:
    return {
        "post_id": post.id,
        "kind": post.kind,
        "author_pseudonym": post.author_pseudonym,
        "text_as_shown": post.source_text,
        "state": post.state,
        "posted_at": _when(post.created_at),
        "edited_at": _when(post.edited_at),
    }


def capture(
    session: Session, *, case: ModerationCase, post: posts.Post, trigger: str, now: datetime
) -> EvidenceSnapshot:
    """Store one snapshot of ``post`` and the thread around it."""
    thread = [_post_record(p) for p in posts.thread_of(session, post) if p.id != post.id]
    content = canonical_json(
        {
            "case_id": case.id,
            "captured_at": now.isoformat(),
            "trigger": trigger,
            "consultation": post.consultation_title,
            "question_number": post.question_number,
            "question": post.question_text,
            "post": _post_record(post),
            "parent_post_id": post.parent_id,
            "thread": thread,
        }
    )
    snapshot = EvidenceSnapshot(
        case_id=saved_id(case),
        contribution_id=post.id,
        trigger=trigger,
        content=content,
        sha256=digest(content),
        captured_at=now,
    )
    session.add(snapshot)
    session.flush()
    hooks.audit(
        session,
        actor_id=None,
        action=CAPTURED,
        subject_type=SUBJECT,
        subject_id=saved_id(snapshot),
        details={"case_id": snapshot.case_id, "sha256": snapshot.sha256, "trigger": trigger},
        now=now,
    )
    return snapshot


def snapshots_of(session: Session, case_id: int) -> list[EvidenceSnapshot]:
    return case_rows(session, EvidenceSnapshot, case_id)


def post_changed(session: Session, *, post_id: int, deleted: bool, now: datetime) -> None:
    """The author edited or deleted a post: if it is in a case, keep the new version too."""
    case = session.exec(
        select(ModerationCase).where(ModerationCase.contribution_id == post_id)
    ).first()
    if case is None:
        return
    post = posts.find_post(session, post_id)
    if post is not None:
        capture(session, case=case, post=post, trigger="deleted" if deleted else "edited", now=now)
    if deleted and case.post_deleted_at is None:
        case.post_deleted_at = now
        session.add(case)
        session.flush()


@dataclass(frozen=True)
class Mismatch:
    snapshot_id: int
    case_id: int
    stored: str
    computed: str
    recorded: str | None  # the hash the audit log recorded when the snapshot was taken
    reason: str


def _batches(session: Session, batch: int) -> Iterator[list[EvidenceSnapshot]]:
    snapshots = keyset_batches(session, EvidenceSnapshot, "id", batch=batch)
    while chunk := list(itertools.islice(snapshots, batch)):
        yield chunk


def _problem(computed: str, stored: str, recorded: str | None) -> str | None:
    if recorded is None:
        return "no hash was recorded in the audit log for this snapshot"
    if computed != stored:
        return "its content does not match its stored hash"
    if stored != recorded:
        return "its content and stored hash were both rewritten after it was taken"
    return None


def verify(session: Session, *, batch: int = 500) -> tuple[int, list[Mismatch]]:
    """Check every snapshot: its content must hash to its stored SHA-256, and that must be the
    hash recorded in the hash-chained audit log when it was taken (so content and stored hash
    rewritten together are found too). (How many were checked, the ones that fail.)

    The audit log's own integrity is ``reclaim audit verify``'s to check."""
    checked, bad = 0, []
    for chunk in _batches(session, batch):
        recorded = hooks.audited_details(
            session,
            action=CAPTURED,
            subject_type=SUBJECT,
            subject_ids=[str(saved_id(s)) for s in chunk],
        )
        for snapshot in chunk:
            checked += 1
            computed = digest(snapshot.content)
            entry = recorded.get(str(snapshot.id), {})
            audited = entry.get("sha256") if isinstance(entry.get("sha256"), str) else None
            problem = _problem(computed, snapshot.sha256, audited)
            if problem is not None:
                bad.append(
                    Mismatch(
                        saved_id(snapshot),
                        snapshot.case_id,
                        snapshot.sha256,
                        computed,
                        audited,
                        problem,
                    )
                )
    return checked, bad


def parsed(snapshot: EvidenceSnapshot) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(snapshot.content)
    return content


def held_post_ids(session: Session, post_ids: Sequence[int]) -> set[int]:
    """Posts under legal hold: those in a case that is not closed, or referred to the police.
    Their evidence snapshots are kept in any case; a held post also keeps its author link."""
    ids = list(post_ids)
    if not ids:
        return set()
    open_cases = select(ModerationCase.contribution_id).where(
        col(ModerationCase.contribution_id).in_(ids), ModerationCase.state != CaseState.closed
    )
    referred = (
        select(ModerationCase.contribution_id)
        .join(PoliceReferral, col(PoliceReferral.case_id) == ModerationCase.id)
        .where(col(ModerationCase.contribution_id).in_(ids))
    )
    rows = session.execute(open_cases.union(referred)).all()
    return {row[0] for row in rows if row[0] is not None}
