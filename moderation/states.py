"""The moderation case state machine, and the pure policy checks around a decision.

States
    ``open``      reported, post still visible, awaiting a decision
    ``held``      post not public while it awaits a decision: pre-moderated, caught by a
                  watched word, or hidden by enough established reporters
    ``decided``   a moderator decided and wrote a statement of reasons; the author may appeal
    ``appealed``  the author appealed; another moderator reviews the decision
    ``closed``    final: the appeal was decided, or the appeal window passed

A case starts ``open`` or ``held`` (``initial_state``).

Claims are not a state. A moderator's claim on a case is two fields on the case,
``claimed_by`` and ``claim_expires_at``: a claim must lapse on its own when a moderator goes
home or their browser crashes, and a state would need a sweeper job to fall back, while an
expiry time needs nothing. It also lets a claim sit on any state that awaits a moderator
(open, held, appealed) without doubling the states. See ``claim_is_active``/``check_claim``.

Events
    ``ReportAdded``        another report on the same post: recorded, state unchanged
                           (the new reporter is told the existing outcome; a moderator may
                           reopen a decided or closed case if the report brings something new)
    ``HoldApplied``        the post was hidden pending review (open -> held)
    ``DecisionMade``       a moderator decided (open/held -> decided); ``approve`` is only
                           for held posts, since an open post is already public
    ``AppealLodged``       decided -> appealed (one appeal per decision)
    ``AppealDecided``      appealed -> closed, either way; ``upheld=True`` means the appeal
                           succeeded and the original decision is reversed, ``False`` that it
                           stands. The service applies the reversal; the state is the same.
    ``AppealWindowPassed`` decided -> closed when nobody appealed in time
    ``Reopened``           decided/closed -> open, for a fresh decision (new evidence, a
                           court order, a mistake found later)
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from moderation.errors import ClaimedByOther, ConflictOfInterest, InvalidTransition, ReasonsRequired
from moderation.reasons import Action

CLAIM_DURATION = timedelta(minutes=20)
APPEAL_WINDOW = timedelta(days=183)  # six months, as the EU DSA requires of platforms
MIN_STATEMENT_CHARS = 40
MIN_CHANGED_CHARS = 20


class CaseState(StrEnum):
    open = "open"
    held = "held"
    decided = "decided"
    appealed = "appealed"
    closed = "closed"

    @property
    def awaits_moderator(self) -> bool:
        """True for the states a moderator's queue shows."""
        return self in (CaseState.open, CaseState.held, CaseState.appealed)


@dataclass(frozen=True, slots=True)
class ReportAdded:
    name = "report_added"


@dataclass(frozen=True, slots=True)
class HoldApplied:
    name = "hold_applied"


@dataclass(frozen=True, slots=True)
class DecisionMade:
    action: Action
    name = "decision_made"


@dataclass(frozen=True, slots=True)
class AppealLodged:
    name = "appeal_lodged"


@dataclass(frozen=True, slots=True)
class AppealDecided:
    upheld: bool
    name = "appeal_decided"


@dataclass(frozen=True, slots=True)
class AppealWindowPassed:
    name = "appeal_window_passed"


@dataclass(frozen=True, slots=True)
class Reopened:
    name = "reopened"


Event = (
    ReportAdded
    | HoldApplied
    | DecisionMade
    | AppealLodged
    | AppealDecided
    | AppealWindowPassed
    | Reopened
)

# The whole machine. Keys are (state, event name); DecisionMade is refined below.
TRANSITIONS: dict[tuple[CaseState, str], CaseState] = {
    (CaseState.open, "report_added"): CaseState.open,
    (CaseState.open, "hold_applied"): CaseState.held,
    (CaseState.open, "decision_made"): CaseState.decided,
    (CaseState.held, "report_added"): CaseState.held,
    (CaseState.held, "hold_applied"): CaseState.held,
    (CaseState.held, "decision_made"): CaseState.decided,
    (CaseState.decided, "report_added"): CaseState.decided,
    (CaseState.decided, "appeal_lodged"): CaseState.appealed,
    (CaseState.decided, "appeal_window_passed"): CaseState.closed,
    (CaseState.decided, "reopened"): CaseState.open,
    (CaseState.appealed, "report_added"): CaseState.appealed,
    (CaseState.appealed, "appeal_decided"): CaseState.closed,
    (CaseState.closed, "report_added"): CaseState.closed,
    (CaseState.closed, "reopened"): CaseState.open,
}


def initial_state(*, held: bool) -> CaseState:
    """``held`` for a pre-moderated or watch-held post, otherwise ``open``."""
    return CaseState.held if held else CaseState.open


def next_state(state: CaseState, event: Event) -> CaseState:
    """The state after ``event``; ``InvalidTransition`` when the move is not allowed."""
    state = CaseState(state)
    target = TRANSITIONS.get((state, event.name))
    if target is None:
        raise InvalidTransition(state.value, event.name)
    if (
        isinstance(event, DecisionMade)
        and event.action == Action.approve
        and state != CaseState.held
    ):
        raise InvalidTransition(
            state.value,
            event.name,
            "Only a held post can be approved; this post is already public.",
        )
    return target


# --- claims ------------------------------------------------------------------------------


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def claim_is_active(
    *, claimed_by: Hashable | None, claim_expires_at: datetime | None, now: datetime
) -> bool:
    """Whether someone holds a claim that has not yet expired."""
    if claimed_by is None or claim_expires_at is None:
        return False
    return _as_utc(claim_expires_at) > _as_utc(now)


def check_claim(
    *,
    moderator_id: Hashable,
    claimed_by: Hashable | None,
    claim_expires_at: datetime | None,
    now: datetime,
) -> None:
    """Raise ``ClaimedByOther`` if another moderator's claim on the case is still running."""
    active = claim_is_active(claimed_by=claimed_by, claim_expires_at=claim_expires_at, now=now)
    if active and claimed_by != moderator_id and claim_expires_at is not None:
        raise ClaimedByOther(until=_as_utc(claim_expires_at))


def appeal_window_open(
    *, decided_at: datetime, now: datetime, window: timedelta = APPEAL_WINDOW
) -> bool:
    """Whether an appeal against a decision made at ``decided_at`` is still in time."""
    return _as_utc(now) <= _as_utc(decided_at) + window


# --- conflicts of interest -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """An allowed/refused answer with the reason, shown to the moderator when refused."""

    allowed: bool
    reason: str = ""

    def raise_if_refused(self) -> None:
        if not self.allowed:
            raise ConflictOfInterest(self.reason)


ALLOWED = Decision(True)


def can_decide(
    *, moderator_id: Hashable, reporter_ids: Iterable[Hashable], author_id: Hashable
) -> Decision:
    """A moderator may not decide a case about their own post or one they reported."""
    if moderator_id == author_id:
        return Decision(False, "You wrote this post, so another moderator must decide it.")
    if moderator_id in set(reporter_ids):
        return Decision(False, "You reported this post, so another moderator must decide it.")
    return ALLOWED


def can_decide_appeal(
    *,
    moderator_id: Hashable,
    original_decider_id: Hashable,
    appellant_id: Hashable,
    reporter_ids: Iterable[Hashable] = (),
) -> Decision:
    """An appeal is reviewed by someone other than the original decider and the appellant
    (and, when ``reporter_ids`` is given, other than anyone who reported the post)."""
    if moderator_id == original_decider_id:
        return Decision(
            False, "You made the decision under appeal, so another moderator must review it."
        )
    if moderator_id == appellant_id:
        return Decision(False, "You lodged this appeal, so another moderator must review it.")
    if moderator_id in set(reporter_ids):
        return Decision(False, "You reported this post, so another moderator must review it.")
    return ALLOWED


# --- statements of reasons -----------------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def statement_is_specific(statement: str, *, template: str | None) -> bool:
    """Whether a decision's statement of reasons says something about this post.

    It must be at least ``MIN_STATEMENT_CHARS`` long (whitespace runs count once), and when
    the moderator started from a template, it must add or change at least
    ``MIN_CHANGED_CHARS`` letters or digits compared with it (a character diff; deleting
    template text, changing case, spacing or punctuation does not count). An unchanged or
    barely touched template is refused: canned replies are what victims complained of.
    """
    text = _squash(statement)
    if len(text) < MIN_STATEMENT_CHARS:
        return False
    if not template or not template.strip():
        return True
    base = _squash(template)
    matcher = difflib.SequenceMatcher(None, base, text, autojunk=False)
    changed = 0
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            changed += sum(ch.isalnum() for ch in text[j1:j2])
    return changed >= MIN_CHANGED_CHARS


def require_specific_statement(statement: str, *, template: str | None) -> None:
    """Raise ``ReasonsRequired`` (422) unless ``statement_is_specific``."""
    if not statement_is_specific(statement, template=template):
        raise ReasonsRequired()
