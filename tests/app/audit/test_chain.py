import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.audit.chain import (
    GENESIS,
    BrokenLink,
    ChainRecord,
    Checkpoint,
    entry_hash,
    next_record,
    verify_chain,
)

START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def make_chain(length: int) -> list[ChainRecord]:
    chain: list[ChainRecord] = []
    head = None
    for n in range(length):
        head = next_record(
            head,
            occurred_at=START + timedelta(minutes=n, microseconds=n),
            actor_id=None if n % 7 == 0 else n % 5 + 1,
            action="disclosure.approve" if n % 3 else "role.grant",
            subject_type="user",
            subject_id=str(1000 + n),
            details={"reason": f"case {n} — überprüft", "roles": ["moderator"], "n": n},
        )
        chain.append(head)
    return chain


def fields(record: ChainRecord) -> dict:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "hash"}


def test_first_entry_links_to_genesis_and_each_entry_to_the_previous():
    chain = make_chain(3)
    assert [r.seq for r in chain] == [1, 2, 3]
    assert chain[0].prev_hash == GENESIS == "0" * 64
    assert chain[1].prev_hash == chain[0].hash
    assert chain[2].prev_hash == chain[1].hash
    assert chain[2].hash == entry_hash(**fields(chain[2]))


def test_valid_chain_of_100_entries_verifies():
    chain = make_chain(100)
    assert verify_chain(chain) is None
    assert verify_chain(iter(chain)) is None


def test_empty_chain_verifies_without_a_checkpoint():
    assert verify_chain([]) is None


def test_hash_covers_every_field_and_prev_hash():
    base = fields(make_chain(1)[0])
    original = entry_hash(**base)
    changes = {
        "prev_hash": "f" * 64,
        "seq": 2,
        "occurred_at": START + timedelta(microseconds=1),
        "actor_id": 99,
        "action": "role.revoke",
        "subject_type": "post",
        "subject_id": "1001",
        "details": {**base["details"], "n": 1},
    }
    for name, value in changes.items():
        assert entry_hash(**{**base, name: value}) != original, name


def test_hash_does_not_depend_on_key_order_or_time_zone_of_the_timestamp():
    base = fields(make_chain(1)[0])
    reordered = dict(reversed(list(base["details"].items())))
    paris = base["occurred_at"].astimezone(timezone(timedelta(hours=1)))
    naive_utc = base["occurred_at"].replace(tzinfo=None)
    original = entry_hash(**base)
    assert entry_hash(**{**base, "details": reordered}) == original
    assert entry_hash(**{**base, "occurred_at": paris}) == original
    assert entry_hash(**{**base, "occurred_at": naive_utc}) == original


def test_naive_timestamps_are_read_as_utc_whatever_the_local_time_zone(monkeypatch):
    import time

    base = fields(make_chain(1)[0])
    original = entry_hash(**base)
    naive_utc = base["occurred_at"].replace(tzinfo=None)
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert entry_hash(**{**base, "occurred_at": naive_utc}) == original
    finally:
        monkeypatch.undo()
        time.tzset()


def test_hash_format_is_pinned_because_stored_chains_depend_on_it():
    import hashlib

    document = (
        '{"action":"role.grant","actor_id":3,"details":{"reason":"é"},'
        '"format":"reclaim/audit/v1","occurred_at":"2025-03-01T09:30:00.000000+00:00",'
        f'"prev_hash":"{GENESIS}","seq":1,"subject_id":"42","subject_type":"user"}}'
    )
    assert (
        entry_hash(
            prev_hash=GENESIS,
            seq=1,
            occurred_at=START,
            actor_id=3,
            action="role.grant",
            subject_type="user",
            subject_id="42",
            details={"reason": "é"},
        )
        == hashlib.sha256(document.encode()).hexdigest()
    )


def test_hash_refuses_details_that_would_not_survive_a_json_column():
    base = fields(make_chain(1)[0])
    with pytest.raises(TypeError):
        entry_hash(**{**base, "details": {"when": START}})
    with pytest.raises(ValueError, match=r"Out of range float values are not JSON c"):
        entry_hash(**{**base, "details": {"score": float("nan")}})


def test_changed_details_are_reported_at_that_entry():
    chain = make_chain(100)
    chain[41] = dataclasses.replace(chain[41], details={"reason": "nothing to see"})
    assert verify_chain(chain) == BrokenLink(42, verify_chain(chain).reason, "changed")
    assert "entry 42" in verify_chain(chain).reason


def test_rewritten_entry_with_recomputed_hash_breaks_the_next_link():
    chain = make_chain(100)
    forged = {**fields(chain[41]), "details": {"reason": "nothing to see"}}
    chain[41] = ChainRecord(hash=entry_hash(**forged), **forged)
    broken = verify_chain(chain)
    assert (broken.seq, broken.kind) == (43, "relinked")


def test_entry_deleted_in_the_middle_is_reported_at_its_seq():
    chain = make_chain(100)
    del chain[49]
    broken = verify_chain(chain)
    assert (broken.seq, broken.kind) == (50, "missing")
    assert "entry 50 is missing" in broken.reason


def test_several_consecutive_deleted_entries_are_reported_from_the_first():
    chain = make_chain(100)
    del chain[9:12]
    broken = verify_chain(chain)
    assert (broken.seq, broken.kind) == (10, "missing")
    assert "entries 10 to 12" in broken.reason


def test_deleted_first_entry_is_reported_at_seq_1():
    broken = verify_chain(make_chain(10)[1:])
    assert (broken.seq, broken.kind) == (1, "missing")


def test_deleted_entry_renumbered_to_close_the_gap_is_still_detected():
    chain = make_chain(20)
    del chain[9]
    for i in range(9, len(chain)):
        chain[i] = dataclasses.replace(chain[i], seq=i + 1)
    broken = verify_chain(chain)
    assert (broken.seq, broken.kind) == (10, "changed")


def test_two_swapped_entries_are_reported_at_the_first_of_them():
    chain = make_chain(100)
    chain[9], chain[10] = chain[10], chain[9]
    broken = verify_chain(chain)
    assert (broken.seq, broken.kind) == (10, "out_of_order")


def test_swapped_contents_under_unchanged_seq_numbers_are_reported_at_the_first():
    # What ORDER BY seq shows when two rows swapped everything but their seq.
    chain = make_chain(100)
    tenth, eleventh = chain[9], chain[10]
    chain[9] = dataclasses.replace(eleventh, seq=10)
    chain[10] = dataclasses.replace(tenth, seq=11)
    broken = verify_chain(chain)
    assert (broken.seq, broken.kind) == (10, "changed")


def test_duplicated_entry_is_reported_as_out_of_order():
    chain = make_chain(10)
    chain.insert(5, chain[4])
    broken = verify_chain(chain)
    assert (broken.seq, broken.kind) == (6, "out_of_order")


def test_deleted_last_entry_is_invisible_without_a_checkpoint():
    chain = make_chain(100)
    assert verify_chain(chain[:-1]) is None


def test_deleted_last_entry_is_reported_as_a_truncated_tail_against_the_recorded_head():
    chain = make_chain(100)
    head = chain[-1].hash
    assert verify_chain(chain, expected_head=head) is None
    broken = verify_chain(chain[:-1], expected_head=head)
    assert (broken.seq, broken.kind) == (100, "truncated")


def test_entries_appended_after_a_checkpoint_are_not_a_break():
    chain = make_chain(100)
    assert verify_chain(chain, expected_head=chain[59].hash) is None
    assert verify_chain(chain, expected_head=Checkpoint(60, chain[59].hash)) is None


def test_checkpoint_with_seq_reports_where_the_tail_was_cut():
    chain = make_chain(100)
    broken = verify_chain(chain[:80], expected_head=Checkpoint(90, chain[89].hash))
    assert (broken.seq, broken.kind) == (81, "truncated")
    assert "seq 90" in broken.reason


def test_chain_rewritten_after_a_checkpoint_is_reported():
    chain = make_chain(30)
    checkpoint = Checkpoint(30, chain[-1].hash)
    # Someone with write access rewrites entry 20 and recomputes every later hash.
    forged = chain[:19]
    head = forged[-1]
    for record in chain[19:]:
        head = next_record(
            head,
            occurred_at=record.occurred_at,
            actor_id=record.actor_id,
            action=record.action,
            subject_type=record.subject_type,
            subject_id=record.subject_id,
            details={} if record.seq == 20 else record.details,
        )
        forged.append(head)
    assert verify_chain(forged) is None  # the chain alone cannot tell
    broken = verify_chain(forged, expected_head=checkpoint)
    assert (broken.seq, broken.kind) == (30, "rewritten")
    assert verify_chain(forged, expected_head=checkpoint.hash).kind == "truncated"


def test_empty_chain_with_a_checkpoint_is_truncated_from_seq_1():
    broken = verify_chain([], expected_head="a" * 64)
    assert (broken.seq, broken.kind) == (1, "truncated")


def test_first_broken_link_wins_when_there_are_several():
    chain = make_chain(50)
    chain[29] = dataclasses.replace(chain[29], action="changed")
    chain[9] = dataclasses.replace(chain[9], actor_id=12345)
    del chain[40]
    assert verify_chain(chain).seq == 10


def test_verification_is_a_single_streaming_pass():
    chain = make_chain(100)
    reads = []

    def stream():
        for record in chain:
            reads.append(record.seq)
            yield record

    assert verify_chain(stream()) is None
    assert reads == list(range(1, 101))
