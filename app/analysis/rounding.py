"""Whole-number percentages that add up to 100, by the largest-remainder method.

A published summary of responses shows, for each question, how many respondents were
positive, negative, neutral or did not answer, with a percentage beside each number. Rounding
each percentage on its own can make a row add up to 99 or 101 (17, 10, 48, 26 for
7, 4, 20, 11 of 42), so Reclaim uses the largest-remainder (Hamilton) method:

1. every category gets the floor of its exact quota ``count * 100 / total``;
2. the points still missing to reach 100 go, one each, to the categories with the largest
   remainders ``count * 100 % total`` (exact integers: no floating point anywhere).

Ties between equal remainders are broken in this fixed order:

- the category with the **larger count** first;
- then by **position**, the earlier category first. Annex A lists its columns as
  positive, negative, neutral, no response, so with equal counts and equal remainders
  "positive" is served before "negative", and so on.

Every result is therefore the floor or the ceiling of its exact quota, and a larger count
never gets a smaller percentage than a smaller count.

When ``total`` is given and the counts add up to less than it, the shortfall is treated as one
more, unlisted category placed after the others: the listed categories get the percentages
they would get if that category were shown, and they add up to 100 minus its share.
For example, ``largest_remainder_percentages([27], total=42) == [64]`` (27 of the 42 respondents
answered). Counts that add up to more than ``total`` are an error.
"""

from collections.abc import Sequence

from kernel import i18n
from kernel.errors import DomainError

__all__ = ["InvalidCounts", "largest_remainder_apportion", "largest_remainder_percentages"]


class InvalidCounts(DomainError, ValueError):
    """Counts that cannot be shared out: negative, or more than their total."""

    status_code = 422
    title = i18n.N_("These counts cannot be shown as percentages")


def largest_remainder_percentages(counts: Sequence[int], *, total: int | None = None) -> list[int]:
    """Return whole-number percentages of ``total`` for ``counts``, summing to 100.

    ``total`` defaults to ``sum(counts)``. When ``total`` is 0 every percentage is 0.
    Raises ``InvalidCounts`` (a ``ValueError`` and a domain error) for a negative count or
    total, or counts that exceed ``total``.
    """
    return largest_remainder_apportion(counts, total=total, units=100)


def largest_remainder_apportion(
    counts: Sequence[int], *, units: int, total: int | None = None
) -> list[int]:
    """Share ``units`` whole units in proportion to ``counts`` out of ``total``.

    The same method and tie order as the percentages (which are ``units=100``); used, for
    example, to split a bar ``units`` pixels wide. The result sums to ``units`` when the counts
    add up to ``total`` and ``total`` > 0.
    """
    values = [int(c) for c in counts]
    if any(c < 0 for c in values):
        raise InvalidCounts(f"counts must not be negative: {list(counts)!r}")
    if units < 0:
        raise InvalidCounts(f"units must not be negative: {units!r}")
    counted = sum(values)
    if total is None:
        total = counted
    if total < 0:
        raise InvalidCounts(f"total must not be negative: {total!r}")
    if counted > total:
        raise InvalidCounts(f"counts add up to {counted}, more than the total {total}")
    if total == 0:
        return [0] * len(values)

    # The shortfall, if any, competes for the remaining units as a last, unlisted category.
    categories = values + ([total - counted] if counted < total else [])
    shares = [c * units // total for c in categories]
    missing = units - sum(shares)
    # Largest remainder first, then larger count, then earlier position.
    order = sorted(
        range(len(categories)),
        key=lambda i: (-(categories[i] * units % total), -categories[i], i),
    )
    for i in order[:missing]:
        shares[i] += 1
    return shares[: len(values)]
