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
