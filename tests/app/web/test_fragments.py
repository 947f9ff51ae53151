"""The fragment cache: bounded by size, and superseded versions of a subject dropped."""

from __future__ import annotations

from sys import getsizeof

from app.web.fragments import FragmentCache


def _key(question: int, version: int, page: int = 1) -> tuple:
    return ("answer_list", question, version, page)


def test_a_newer_version_drops_every_older_version_of_the_same_question() -> None:
    cache = FragmentCache(max_bytes=10_000)
    for page in (1, 2, 3):
        cache.put(_key(7, 1, page), ["a" * 10])
    cache.put(_key(8, 1), ["other question"])
    cache.put(_key(7, 2), ["new"])
    assert [cache.get(_key(7, 1, page)) for page in (1, 2, 3)] == [None, None, None]
    assert cache.get(_key(7, 2)) == ["new"]
    assert cache.get(_key(8, 1)) == ["other question"]
    assert len(cache) == 2 and cache.nbytes == getsizeof("new") + getsizeof("other question")


def test_an_older_version_than_one_already_seen_is_not_stored() -> None:
    cache = FragmentCache(max_bytes=10_000)
    cache.put(_key(7, 5), ["five"])
    cache.put(_key(7, 4), ["four"])  # a slow request that read the list before a reply
    assert cache.get(_key(7, 4)) is None and cache.get(_key(7, 5)) == ["five"]


def test_the_total_size_stays_under_the_bound_least_recently_used_first_out() -> None:
    piece = getsizeof("x" * 30)  # 79 bytes: 30 characters and the string's own header
    cache = FragmentCache(max_bytes=3 * piece + 10)
    for question in range(10):
        cache.put(_key(question, 1), ["x" * 30])
        assert cache.nbytes <= 3 * piece + 10
    assert len(cache) == 3
    assert cache.get(_key(9, 1)) is not None and cache.get(_key(0, 1)) is None
    cache.get(_key(7, 1))  # used: it outlives the next eviction
    cache.put(_key(10, 1), ["y" * 30])
    assert cache.get(_key(7, 1)) is not None and cache.get(_key(8, 1)) is None


def test_an_entry_larger_than_the_whole_cache_is_not_stored() -> None:
    cache = FragmentCache(max_bytes=getsizeof("z" * 10))
    cache.put(_key(1, 1), ["z" * 11])
    assert len(cache) == 0 and cache.nbytes == 0


def test_storing_the_same_key_again_replaces_it_without_counting_twice() -> None:
    cache = FragmentCache(max_bytes=100)
    cache.put(_key(1, 1), ["abc"])
    cache.put(_key(1, 1), ["abcd"])
    assert cache.nbytes == getsizeof("abcd") and cache.get(_key(1, 1)) == ["abcd"]


def test_latest_only_replaces_every_other_entry_of_its_subject() -> None:
    cache = FragmentCache(max_bytes=10_000)
    cache.put(("answer", (5, True), "aaaa"), ["first"], latest_only=True)
    cache.put(("answer", (5, False), "aaaa"), ["signed out"], latest_only=True)
    cache.put(("answer", (5, True), "bbbb"), ["second"], latest_only=True)
    assert cache.get(("answer", (5, True), "aaaa")) is None
    assert cache.get(("answer", (5, True), "bbbb")) == ["second"]
    assert cache.get(("answer", (5, False), "aaaa")) == ["signed out"]
    assert cache.nbytes == getsizeof("second") + getsizeof("signed out")


def test_size_is_bytes_in_memory_so_a_curly_quote_counts_double() -> None:
    """Text with a character beyond Latin-1 takes two bytes a character: counted so, the
    bound holds for what the process really keeps."""
    plain, quoted = "a" * 1000, "a" * 999 + "\u201c"
    assert getsizeof(quoted) > 1.9 * getsizeof(plain)
    cache = FragmentCache(max_bytes=getsizeof(plain) * 3)
    for question in range(3):
        cache.put(_key(question, 1), [quoted])
    assert len(cache) == 1 and cache.nbytes == getsizeof(quoted)
