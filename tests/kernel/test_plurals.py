"""The one pluralising helper: whole phrases for one and for other counts."""

import pytest

from kernel.plurals import plural


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 responses were late."), (1, "1 response was late."), (2, "2 responses were late.")],
)
def test_the_phrase_takes_the_form_its_count_needs(count: int, expected: str) -> None:
    assert plural(count, "{n} response was late.", "{n} responses were late.") == expected


def test_large_counts_have_thousands_separators_and_other_values_are_filled_in() -> None:
    assert plural(1030, "{n} of {total}", "{n} answers of {total}", total="2,000") == (
        "1,030 answers of 2,000"
    )
