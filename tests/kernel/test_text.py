"""The one cleaning of incoming text (kernel/text.py)."""

from __future__ import annotations

import pytest

from kernel.text import clean, clean_optional, is_clean


@pytest.mark.parametrize(
    "bad",
    ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\u202a", "\u202e", "\u2066", "\u2069"],
)
def test_control_characters_and_bidi_controls_are_removed(bad: str) -> None:
    assert clean(f"before{bad}after") == "beforeafter"


def test_tabs_and_line_feeds_stay_and_carriage_returns_become_line_feeds() -> None:
    assert clean("one\r\ntwo\rthree\tfour\nfive") == "one\ntwo\nthree\tfour\nfive"


def test_single_line_turns_tabs_and_line_breaks_into_spaces() -> None:
    assert clean(" A\ttitle\r\non two lines ", single_line=True) == "A title on two lines"


def test_unpaired_surrogates_and_non_characters_are_removed() -> None:
    assert clean(f"a{chr(0xD800)}b\ufffec\uffff") == "abc"


def test_direction_marks_and_ordinary_text_are_kept() -> None:
    text = "שלום\u200f, café 🙂 — naïve"
    assert clean(text) == text
    assert is_clean(text)


def test_missing_and_blank_values() -> None:
    assert clean(None) == ""
    assert clean("  \x00 ") == ""
    assert clean_optional(" \x00") is None
    assert clean_optional(" x ") == "x"
    assert clean("  kept  ", strip=False) == "  kept  "


def test_is_clean_says_whether_anything_would_be_removed() -> None:
    assert not is_clean("a\x00b")
    assert not is_clean("a\r\nb")
    assert not is_clean("a\nb", single_line=True)
