"""References that can be read out on the phone: no look-alike symbols, in groups."""

import re

from hypothesis import given
from hypothesis import strategies as st

from kernel.references import ALPHABET, new_reference, normalise

LOOK_ALIKES = set("0O1IL5S8B2ZUV")


def test_the_alphabet_has_no_symbols_that_look_or_sound_alike() -> None:
    assert not LOOK_ALIKES & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) >= 20


def test_a_new_reference_is_four_groups_of_four_after_its_prefix() -> None:
    reference = new_reference("R-")
    assert re.fullmatch(rf"R(-[{ALPHABET}]{{4}}){{4}}", reference), reference
    assert len({new_reference("R-") for _ in range(200)}) == 200


@given(st.lists(st.sampled_from([" ", "-", "", "  "]), min_size=17, max_size=17), st.booleans())
def test_a_reference_typed_with_other_capitals_and_spacing_reads_the_same(gaps, lower) -> None:
    reference = new_reference("R")
    bare = reference.replace("-", "")
    typed = "".join(g + c for g, c in zip(gaps, bare, strict=False))
    typed = typed.lower() if lower else typed
    assert normalise(typed) == normalise(reference) == bare


def test_an_older_reference_is_read_whatever_its_capitals() -> None:
    assert normalise("r-6l01o2alkxztimbm") == normalise("R-6l01o2AlkxZTIMbm")


@given(st.integers(min_value=1, max_value=10**9))
def test_a_row_number_reads_back_from_its_reference_however_it_is_typed(number) -> None:
    from kernel.references import number_reference, read_number_reference

    reference = number_reference("RC", number)
    assert re.fullmatch(rf"RC-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", reference)
    assert read_number_reference("RC", reference) == number
    assert read_number_reference("RC", reference.lower().replace("-", " ")) == number


def test_neighbouring_rows_get_unlike_references_and_nonsense_reads_as_none() -> None:
    from kernel.references import number_reference, read_number_reference

    first, second = number_reference("RC", 41), number_reference("RC", 42)
    assert sum(a != b for a, b in zip(first, second, strict=True)) >= 4
    assert read_number_reference("RC", "RC-0000-0000") is None
    assert read_number_reference("RC", "R-7KQM-4XPA-9TCH") is None
