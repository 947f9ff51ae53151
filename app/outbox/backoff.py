"""How long to wait before trying again: exponential backoff with jitter.

The wait doubles with every failed attempt up to a ceiling, and a random part of it (half) is
drawn afresh each time, so messages and workers that failed together do not retry together."""

from __future__ import annotations

import random
from datetime import timedelta


def retry_delay(attempt: int, *, base: float, cap: float) -> timedelta:
    """The wait after the ``attempt``-th failure (1 for the first): between half and all of
    ``base × 2^(attempt − 1)`` seconds, never more than ``cap``."""
    ceiling = min(cap, base * 2 ** max(0, attempt - 1))
    return timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))
