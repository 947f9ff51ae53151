"""Largest-remainder percentages, checked against tables worked out by hand.

Working for the seed's Annex A (42 respondents; columns positive, negative, neutral,
no response), quota = count * 100 / 42, remainder = count * 100 % 42:

Q1 14, 3, 10, 15: floors 33, 7, 23, 35 (98); remainders 14, 6, 34, 30 -> neutral, no response
    get the 2 points -> 33, 7, 24, 36 (published: 33, 7, 24, 36).
Q2 17, 5, 10, 10: floors 40, 11, 23, 23 (97); remainders 20, 38, 34, 34 -> 40, 12, 24, 24
    (published: 40, 12, 24, 24).
Q3 published 16, 2, 10, 10: the counts add up to 38, not 42, and the percentages 38, 5, 24, 24
    add up to 91. The text says "There were 28 responses to this question" (16 + 2 + 10), so
    the no-response count should be 42 - 28 = 14: floors 38, 4, 23, 33 (98); remainders
    4, 32, 34, 14 -> neutral, negative -> 38, 5, 24, 33.
Q4 18, 1, 5, 18: floors 42, 2, 11, 42 (97); remainders 36, 16, 38, 36 -> neutral, positive,
    no response -> 43, 2, 12, 43 (published: 43, 2, 12, 43).
Q5 7, 4, 20, 11: floors 16, 9, 47, 26 (98); remainders 28, 22, 26, 8 -> positive, neutral
    -> 17, 9, 48, 26 (published: 17, 9, 48, 26). Rounding each on its own would give
    17, 10, 48, 26 = 101, so the publisher did not simply round.
"""

import random

import pytest

from app.analysis.rounding import largest_remainder_percentages


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([14, 3, 10, 15], [33, 7, 24, 36]),
        ([17, 5, 10, 10], [40, 12, 24, 24]),
        ([18, 1, 5, 18], [43, 2, 12, 43]),
        ([7, 4, 20, 11], [17, 9, 48, 26]),
    ],
    ids=["q1", "q2", "q4", "q5"],
)
def test_seed_annex_a_rows_match_the_published_percentages(counts, expected):
    assert sum(counts) == 42
    assert largest_remainder_percentages(counts) == expected
    assert largest_remainder_percentages(counts, total=42) == expected


def test_seed_question_5_is_not_what_rounding_each_figure_gives():
    # 4/42 = 9.52% rounds to 10 on its own; the row then adds up to 101.
    assert largest_remainder_percentages([7, 4, 20, 11])[1] == 9


def test_seed_question_3_corrected_no_response_count_gives_a_row_of_100():
    # Published: 16, 2, 10, 10 (sum 38) and 38%, 5%, 24%, 24% (sum 91). With 28 responses of
    # 42 the no-response count is 14, and the row becomes 38, 5, 24, 33.
    assert largest_remainder_percentages([16, 2, 10, 14]) == [38, 5, 24, 33]


def test_seed_question_3_as_published_reproduces_its_percentages_of_42_that_sum_to_91():
    # Counts short of the total: the 4 missing respondents form an unlisted last category
    # (quota 9.52); floors 38, 4, 23, 23, 9 (97); remainders 4, 32, 34, 34, 22 -> neutral,
    # no response (tie: same count, earlier first, both served), negative.
    result = largest_remainder_percentages([16, 2, 10, 10], total=42)
    assert result == [38, 5, 24, 24]
    assert sum(result) == 91


def test_three_equal_remainders_go_to_the_earliest_categories():
    assert largest_remainder_percentages([1, 1, 1]) == [34, 33, 33]


def test_seven_equal_categories_share_the_two_missing_points_from_the_left():
    # 100 / 7 = 14 remainder 2: floors 14 * 7 = 98, two points to the first two.
    assert largest_remainder_percentages([1] * 7) == [15, 15, 14, 14, 14, 14, 14]


def test_tie_of_three_remainders_among_four_categories():
    # Of 7: 2 -> 28 remainder 4 (x3), 1 -> 14 remainder 2; floors 98; the two points go to
    # the first two of the three tied 2s.
    assert largest_remainder_percentages([2, 2, 2, 1]) == [29, 29, 28, 14]


def test_equal_remainders_favour_the_larger_count_over_the_earlier_position():
    # Of 40: 1 -> 2.5, 3 -> 7.5, 36 -> 90. Floors 2, 7, 90 (99); the remainders of 1 and 3 are
    # both 20 (of 40), the larger count (3) wins although it comes second.
    assert largest_remainder_percentages([1, 3, 36]) == [2, 8, 90]


def test_question_nobody_answered_is_all_no_response():
    assert largest_remainder_percentages([0, 0, 0, 42]) == [0, 0, 0, 100]


def test_one_respondent_gets_the_whole_hundred():
    assert largest_remainder_percentages([0, 1, 0, 0]) == [0, 100, 0, 0]


def test_zero_total_gives_all_zeros():
    assert largest_remainder_percentages([0, 0, 0, 0]) == [0, 0, 0, 0]
    assert largest_remainder_percentages([]) == []
    assert largest_remainder_percentages([0, 0], total=0) == [0, 0]


def test_exact_quotas_are_not_adjusted():
    assert largest_remainder_percentages([1, 1, 2]) == [25, 25, 50]
    assert largest_remainder_percentages([3, 7], total=10) == [30, 70]


def test_share_of_a_larger_total_leaves_room_for_the_unlisted_rest():
    # 27 of 42 answered: 64.29% -> 64 (the 15 who did not: 35.71% -> 36).
    assert largest_remainder_percentages([27], total=42) == [64]


def test_counts_above_the_total_are_refused():
    with pytest.raises(ValueError, match="more than the total"):
        largest_remainder_percentages([20, 30], total=42)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        largest_remainder_percentages([5, -1, 3])


def _check_row(counts, result, total):
    # Each result is the floor or the ceiling of its exact quota count * 100 / total.
    for c, p in zip(counts, result, strict=True):
        floor = c * 100 // total
        ceiling = -(-c * 100 // total)
        assert p in (floor, ceiling), (counts, result)
    # A larger count never gets a smaller percentage.
    for a, pa in zip(counts, result, strict=True):
        for b, pb in zip(counts, result, strict=True):
            if a > b:
                assert pa >= pb, (counts, result)
    # Whoever was rounded up had a remainder at least as large as whoever was rounded down.
    up = [c * 100 % total for c, p in zip(counts, result, strict=True) if p * total > c * 100]
    down = [c * 100 % total for c, p in zip(counts, result, strict=True) if p * total < c * 100]
    if up and down:
        assert min(up) >= max(down), (counts, result)


def test_random_rows_sum_to_100_stay_within_one_of_quota_and_are_monotonic():
    rng = random.Random(20240601)
    for _ in range(3000):
        size = rng.randint(1, 9)
        high = rng.choice([1, 3, 10, 42, 1000])
        counts = [rng.randint(0, high) for _ in range(size)]
        if sum(counts) == 0:
            counts[rng.randrange(size)] = 1
        result = largest_remainder_percentages(counts)
        assert len(result) == size
        assert sum(result) == 100, (counts, result)
        _check_row(counts, result, sum(counts))


def test_random_rows_short_of_the_total_keep_the_same_guarantees():
    rng = random.Random(7)
    for _ in range(2000):
        size = rng.randint(1, 6)
        counts = [rng.randint(0, 50) for _ in range(size)]
        total = sum(counts) + rng.randint(1, 50)
        result = largest_remainder_percentages(counts, total=total)
        assert sum(result) <= 100
        _check_row(counts, result, total)
