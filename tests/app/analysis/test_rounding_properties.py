"""Property tests of the largest-remainder rounding (Hypothesis): any counts give percentages
that add up, each the floor or ceiling of its exact share, or a domain error."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from app.analysis.rounding import (
    InvalidCounts,
    largest_remainder_apportion,
    largest_remainder_percentages,
)
from kernel.errors import DomainError

COUNTS = st.lists(st.integers(min_value=0, max_value=10**9), max_size=8)


@given(COUNTS)
def test_percentages_of_their_own_total_add_up_to_100_or_are_all_zero(counts: list[int]) -> None:
    shares = largest_remainder_percentages(counts)
    assert len(shares) == len(counts)
    assert sum(shares) == (100 if sum(counts) else 0)


@given(COUNTS, st.integers(min_value=0, max_value=10**9), st.integers(0, 10_000))
def test_each_share_is_the_floor_or_ceiling_of_its_exact_quota(
    counts: list[int], extra: int, units: int
) -> None:
    total = sum(counts) + extra
    shares = largest_remainder_apportion(counts, units=units, total=total)
    for count, share in zip(counts, shares, strict=True):
        exact = Fraction(count * units, total) if total else Fraction(0)
        assert exact - 1 < share < exact + 1
    if extra == 0 and total:
        assert sum(shares) == units


@given(COUNTS)
def test_a_larger_count_never_gets_a_smaller_percentage(counts: list[int]) -> None:
    shares = largest_remainder_percentages(counts)
    pairs = sorted(zip(counts, shares, strict=True))
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(pairs) if a[0] < b[0])


@given(
    st.lists(st.integers(min_value=-(10**6), max_value=10**6), max_size=6),
    st.one_of(st.none(), st.integers(min_value=-(10**6), max_value=10**6)),
    st.integers(min_value=-5, max_value=1000),
)
def test_any_counts_give_shares_or_a_domain_error(
    counts: list[int], total: int | None, units: int
) -> None:
    try:
        shares = largest_remainder_apportion(counts, units=units, total=total)
    except InvalidCounts as error:
        refusal: DomainError | None = error
    else:
        refusal = None
    if refusal is not None:
        assert refusal.message
        return
    assert len(shares) == len(counts) and all(s >= 0 for s in shares)
