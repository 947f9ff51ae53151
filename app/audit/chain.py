"""The audit log's hash chain: how an entry's hash is computed, and how a chain is verified.

Every audit entry stores ``seq`` (1, 2, 3, … with no gaps), ``prev_hash`` (the previous
entry's ``hash``; ``GENESIS`` for seq 1) and ``hash = entry_hash(...)``: SHA-256 over a canonical
JSON encoding of all its fields and ``prev_hash``. Changing, removing, inserting or reordering
an entry therefore breaks a link that ``verify_chain`` finds (``reclaim audit verify``).

Two limits, by design of any unkeyed hash chain:

- **A removed tail is invisible to the chain alone**: entries 1..n-k are still a perfect chain.
  Record checkpoints (the ``hash`` of the head, with its ``seq``) somewhere the database's
  writers cannot rewrite — the transparency report, an operator's log, an external
  timestamping service — and pass the latest to ``verify_chain(..., expected_head=...)``: it
  reports a truncated tail when that entry is no longer in the chain.
- **Anyone who can write the table can recompute every hash after the one they change.** The
  same checkpoints catch that: the rewritten chain no longer contains the recorded hash.

Pure and database-free; the audit module stores entries and calls ``contents_hash`` and
``verify_chain``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, TypedDict, Unpack

GENESIS = "0" * 64
FORMAT = "reclaim/audit/v1"

BreakKind = Literal["changed", "relinked", "missing", "out_of_order", "rewritten", "truncated"]


class ChainEntry(Protocol):
    """What ``verify_chain`` reads from an audit entry (a table row or a ``ChainRecord``)."""

    @property
    def seq(self) -> int: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def action(self) -> str: ...
    @property
    def subject_type(self) -> str: ...
    @property
    def subject_id(self) -> str: ...
    @property
    def details(self) -> Mapping[str, Any]: ...


class EntryContents(TypedDict):
    """What an entry records besides its place in the chain: the keyword arguments of
    ``entry_hash`` and ``next_record`` (listed in the canonical document's key order)."""

    action: str
    actor_id: int | None
    details: Mapping[str, Any]
    occurred_at: datetime
    subject_id: str
    subject_type: str


@dataclass(frozen=True, slots=True)
class ChainRecord:
    """A plain audit entry; see ``next_record``."""

    seq: int
    prev_hash: str
    hash: str
    occurred_at: datetime
    actor_id: int | None
    action: str
    subject_type: str
    subject_id: str
    details: Mapping[str, Any]
    # Set when the stored details could not be read back as JSON (a changed byte): the entry
    # is then reported as changed, whatever its hash.
    unreadable: str | None = None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A head of the chain recorded outside the database: the entry ``seq`` had ``hash``."""

    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first place where the chain does not hold.

    ``seq`` is the sequence number where it breaks (for removed entries, the first missing
    one); ``reason`` explains it for a person; ``kind`` is one of ``BreakKind``.
    """

    seq: int
    reason: str
    kind: BreakKind = "changed"


def _utc_iso(moment: datetime) -> str:
    """UTC, ISO-8601, always with microseconds. A naive datetime is taken to be UTC (SQLite
    gives back naive datetimes for values that were written in UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_json(value: Any) -> str:
    """Sorted keys, no blanks, UTF-8 text kept (``ensure_ascii=False``), NaN refused.

    Values must be JSON types (str, int, float, bool, None, lists, str-keyed dicts), so that
    the same details give the same text after a round trip through a JSON column; anything
    else raises ``TypeError`` when the entry is written rather than a mismatch later.
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def entry_hash(*, prev_hash: str, seq: int, **contents: Unpack[EntryContents]) -> str:
    """SHA-256 (hex) of the canonical JSON of every field of an entry and ``prev_hash``."""
    return contents_hash(ChainRecord(seq=seq, prev_hash=prev_hash, hash="", **contents))


def contents_hash(entry: ChainEntry) -> str:
    """The hash ``entry`` must carry: ``entry_hash`` of its fields (its own ``hash`` unread)."""
    document = {
        "format": FORMAT,
        "prev_hash": entry.prev_hash,
        "seq": int(entry.seq),
        "occurred_at": _utc_iso(entry.occurred_at),
        "actor_id": None if entry.actor_id is None else int(entry.actor_id),
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": str(entry.subject_id),
        "details": dict(entry.details),
    }
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def next_record(head: ChainEntry | None, **contents: Unpack[EntryContents]) -> ChainRecord:
    """The entry that follows ``head`` (``None`` for the first entry), with seq and hashes set.

    The caller must hold a lock on the head (``SELECT … FOR UPDATE``, or SQLite's single
    writer) and rely on a unique ``seq``, so two writers cannot both append after one head.
    """
    stored: EntryContents = {
        **contents,
        "subject_id": str(contents["subject_id"]),
        "details": dict(contents["details"]),
    }
    unhashed = ChainRecord(
        seq=1 if head is None else head.seq + 1,
        prev_hash=GENESIS if head is None else head.hash,
        hash="",
        **stored,
    )
    return replace(unhashed, hash=contents_hash(unhashed))


def verify_chain(
    entries: Iterable[ChainEntry],
    *,
    expected_head: str | Checkpoint | None = None,
) -> BrokenLink | None:
    """``None`` if the chain holds, else the first ``BrokenLink``.

    ``entries`` must come in ``seq`` order starting at seq 1 (``ORDER BY seq``; a streaming
    query is fine: one pass, constant memory). In order of the chain, it reports:

    - ``missing`` — a gap in ``seq`` (entries removed), at the first missing seq;
    - ``out_of_order`` — a ``seq`` lower than or equal to the previous one, or a jump ahead
      followed by a step back (two entries swapped), at the seq where order first fails;
    - ``changed`` — an entry whose stored hash is not the hash of its contents, or whose
      details can no longer be read (``ChainRecord.unreadable``);
    - ``relinked`` — an entry whose ``prev_hash`` is not the previous entry's hash (the
      previous entry was rewritten with a recomputed hash, or one was inserted);
    - ``rewritten`` — the entry at a ``Checkpoint``'s seq no longer has the recorded hash;
    - ``truncated`` — ``expected_head`` (a recorded checkpoint) is not in the chain.

    ``expected_head`` is either a hash, which must be the hash of some entry (normally the
    last; later entries are legitimate appends), or a ``Checkpoint``, whose ``seq`` must exist
    and carry that hash. Without it, removing the last entries cannot be detected.
    """
    expected_seq = 1
    prev_hash = GENESIS
    head_seen = expected_head is None
    stream = iter(entries)
    for entry in stream:
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                following = next(stream, None)
                if following is not None and following.seq < entry.seq:
                    return BrokenLink(
                        expected_seq,
                        f"seq {entry.seq} found where seq {expected_seq} was expected, "
                        f"followed by seq {following.seq} (entries reordered)",
                        "out_of_order",
                    )
                last_missing = entry.seq - 1
                span = (
                    f"entry {expected_seq} is"
                    if last_missing == expected_seq
                    else f"entries {expected_seq} to {last_missing} are"
                )
                return BrokenLink(
                    expected_seq,
                    f"{span} missing: the chain jumps from seq {expected_seq - 1} "
                    f"to seq {entry.seq} (removed, or out of order)",
                    "missing",
                )
            return BrokenLink(
                expected_seq,
                f"seq {entry.seq} found where seq {expected_seq} was expected "
                "(entries reordered or duplicated)",
                "out_of_order",
            )
        unreadable = getattr(entry, "unreadable", None)
        if unreadable is not None:
            return BrokenLink(
                entry.seq,
                f"entry {entry.seq} was changed: its details are no longer valid JSON "
                f"({unreadable})",
                "changed",
            )
        if contents_hash(entry) != entry.hash:
            return BrokenLink(
                entry.seq,
                f"entry {entry.seq} was changed: its contents do not match its hash",
                "changed",
            )
        if entry.prev_hash != prev_hash:
            return BrokenLink(
                entry.seq,
                f"entry {entry.seq} does not link to entry {entry.seq - 1}: its prev_hash is "
                "not that entry's hash (an entry was rewritten, inserted or moved)",
                "relinked",
            )
        if not head_seen:
            if isinstance(expected_head, Checkpoint):
                if entry.seq == expected_head.seq:
                    if entry.hash != expected_head.hash:
                        return BrokenLink(
                            entry.seq,
                            f"entry {entry.seq} is not the one recorded in the checkpoint: "
                            "the chain was rewritten from here or earlier",
                            "rewritten",
                        )
                    head_seen = True
            elif entry.hash == expected_head:
                head_seen = True
        prev_hash = entry.hash
        expected_seq += 1

    if not head_seen:
        last = expected_seq - 1
        if isinstance(expected_head, Checkpoint):
            reason = (
                f"the chain ends at seq {last} but the checkpoint records seq "
                f"{expected_head.seq}: entries after {last} were removed"
            )
        else:
            reason = (
                f"the recorded head hash is not in the chain, which ends at seq {last}: "
                "entries were removed from the end, or the chain was rewritten"
            )
        return BrokenLink(last + 1, reason, "truncated")
    return None
