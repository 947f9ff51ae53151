"""Property tests of the one text cleaning (Hypothesis): any text in, clean text out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kernel.text import _REMOVED, clean, is_clean

REMOVED = {chr(c) for c in _REMOVED} | {"\r"}
# Every code point, unpaired surrogates and controls included.
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=300)


@given(ANY_TEXT, st.booleans())
def test_cleaning_any_text_leaves_none_of_the_removed_characters(text: str, line: bool) -> None:
    cleaned = clean(text, single_line=line)
    assert not REMOVED & set(cleaned)
    assert not line or ("\n" not in cleaned and "\t" not in cleaned)
    cleaned.encode("utf-8")  # always storable, on PostgreSQL too


@given(ANY_TEXT, st.booleans())
def test_cleaning_is_idempotent_and_what_it_gives_is_clean(text: str, line: bool) -> None:
    once = clean(text, single_line=line)
    assert clean(once, single_line=line) == once
    assert is_clean(once, single_line=line)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf")), max_size=200))
def test_ordinary_printable_text_is_kept_as_it_is(text: str) -> None:
    assert clean(text, strip=False) == text.replace("\ufffe", "").replace("\uffff", "")
