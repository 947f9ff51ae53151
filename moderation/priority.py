"""The order of the moderation queue, and when a post may be hidden before review.

Order: severity band ascending (see ``reasons``), then case score descending, then the oldest
first report first. The score says how much the reports on a case are worth believing:

Reporter weight
    ``accuracy = (upheld + 1) / (upheld + dismissed + 2)``: the share of a reporter's past
    reports that moderators upheld, with one imagined upheld and one imagined dismissed report
    added (Laplace's rule, a uniform Beta(1, 1) prior). Someone with no history gets 0.5; a
    reporter whose reports are usually dismissed drifts towards 0 but is never ignored
    (floor ``MIN_REPORTER_WEIGHT``); a staff-designated trusted reporter gets at least
    ``TRUSTED_REPORTER_WEIGHT``. Accounts younger than ``FULL_WEIGHT_ACCOUNT_AGE_DAYS`` count
    for less, from 20 % on the first day rising linearly to 100 %, so freshly made accounts
    cannot swamp the queue. ``weight = max(MIN_REPORTER_WEIGHT, accuracy * age_factor)``.

Case score
    ``1 - prod(1 - REPORTER_DAMPING * w)`` over the *distinct* reporters: the chance that at
    least one of them is right if each were right with probability ``0.9 * w``. Each extra
    reporter adds less than the one before, the score stays below 1, and more reporters of
    the same standing always score higher. 30 brand-new accounts (0.94) score below three
    established, accurate reporters (0.99).

In SQL the same order is ``ORDER BY severity_band, priority_score DESC, first_reported_at``
(then the case id, for a stable order) over an integer column ``priority_score =
score_to_int(score)`` with an index on ``(severity_band, priority_score DESC,
first_reported_at)``. ``priority_key`` uses the same rounded integer, so Python and the
database never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

MIN_REPORTER_WEIGHT = 0.05
TRUSTED_REPORTER_WEIGHT = 0.9
FULL_WEIGHT_ACCOUNT_AGE_DAYS = 14
NEW_ACCOUNT_FACTOR = 0.2
REPORTER_DAMPING = 0.9
SCORE_SCALE = 1_000_000


def reporter_weight(
    *, upheld: int, dismissed: int, account_age_days: float, is_trusted: bool
) -> float:
    """How much one report from this reporter counts, between 0.05 and 1 (module docstring)."""
    if upheld < 0 or dismissed < 0:
        raise ValueError("report counts cannot be negative")
    if math.isnan(account_age_days) or account_age_days < 0:
        raise ValueError("account age must be a non-negative number of days")
    accuracy = (upheld + 1) / (upheld + dismissed + 2)
    if is_trusted:
        # Trust is granted by staff, who also take it away; it replaces the age ramp.
        return max(accuracy, TRUSTED_REPORTER_WEIGHT)
    ramp = min(1.0, account_age_days / FULL_WEIGHT_ACCOUNT_AGE_DAYS)
    age_factor = NEW_ACCOUNT_FACTOR + (1 - NEW_ACCOUNT_FACTOR) * ramp
    return max(MIN_REPORTER_WEIGHT, accuracy * age_factor)


def case_score(reporter_weights: Iterable[float]) -> float:
    """Combine the weights of a case's distinct reporters (one weight per person), in [0, 1).

    Pass each reporter once: the same person reporting twice adds nothing.
    """
    remaining = 1.0
    for weight in reporter_weights:
        if math.isnan(weight) or not 0.0 <= weight <= 1.0:
            raise ValueError(f"a reporter weight must be between 0 and 1, not {weight!r}")
        remaining *= 1.0 - REPORTER_DAMPING * weight
    return 1.0 - remaining


def score_to_int(score: float) -> int:
    """The integer stored in ``priority_score``: ``round(score * 1_000_000)``."""
    if math.isnan(score) or not 0.0 <= score <= 1.0:
        raise ValueError(f"a case score must be between 0 and 1, not {score!r}")
    return round(score * SCORE_SCALE)


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; this project stores UTC, so naive means UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def priority_key(
    *, severity_band: int, score: float, first_reported_at: datetime
) -> tuple[int, int, datetime]:
    """Sort key for the queue: band ascending, score descending, oldest first."""
    return (severity_band, -score_to_int(score), _as_utc(first_reported_at))


@dataclass(frozen=True, slots=True)
class ReporterStanding:
    """What the queue knows about one reporter when a report arrives.

    ``reporter_id`` is optional; when given, ``auto_hide_allowed`` counts each id once.
    """

    account_age_days: float
    upheld: int
    dismissed: int
    is_trusted: bool = False
    reporter_id: Hashable | None = None

    @property
    def weight(self) -> float:
        return reporter_weight(
            upheld=self.upheld,
            dismissed=self.dismissed,
            account_age_days=self.account_age_days,
            is_trusted=self.is_trusted,
        )


def auto_hide_allowed(
    reporters: Sequence[ReporterStanding],
    *,
    threshold: int = 3,
    min_account_age_days: int = 14,
    min_weight: float = 0.6,
) -> bool:
    """Whether enough established reporters agree to hide a post before a moderator looks.

    A reporter counts when their account is at least ``min_account_age_days`` old AND either
    their weight is at least ``min_weight`` (in practice: more of their reports upheld than
    dismissed) or staff marked them trusted. ``threshold`` distinct counting reporters are
    needed. A new account, or an old one with no upheld reports (weight 0.5), never counts,
    so a brigade of fresh or idle accounts cannot hide anything, however many there are.
    The post is only hidden pending review: a moderator still decides.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    counted: set[object] = set()
    anonymous = 0
    for reporter in reporters:
        if reporter.account_age_days < min_account_age_days:
            continue
        if not (reporter.is_trusted or reporter.weight >= min_weight):
            continue
        if reporter.reporter_id is None:
            anonymous += 1
        else:
            counted.add(reporter.reporter_id)
    return len(counted) + anonymous >= threshold
