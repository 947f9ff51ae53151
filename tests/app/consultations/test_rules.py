"""Who may answer a consultation, and when: its phase, an early close, the level it asks for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.accounts.models import VerificationLevel
from app.consultations import rules
from app.consultations.models import Consultation, Phase
from kernel.errors import Conflict, Forbidden

OPENS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 4, 30, 17, 0, tzinfo=UTC)


def consultation(**kwargs) -> Consultation:
    values = {"slug": "c", "title": "C", "theme_id": 1, "opens_at": OPENS, "closes_at": CLOSES}
    values.update(kwargs)
    return Consultation(**values)


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (OPENS - timedelta(seconds=1), Phase.upcoming),
        (OPENS, Phase.open),
        (CLOSES - timedelta(seconds=1), Phase.open),
        (CLOSES, Phase.closed),
        (CLOSES + timedelta(days=1), Phase.closed),
    ],
)
def test_the_phase_follows_the_opening_and_closing_times(now, phase) -> None:
    assert consultation().phase_at(now) is phase


def test_an_upcoming_consultation_says_when_it_opens() -> None:
    reason = rules.closed_reason(consultation(), now=OPENS - timedelta(days=1))
    assert reason == "This consultation opens on 2 March 2026 at 09:00."  # GMT: UK time is UTC


def test_an_open_consultation_has_no_closed_reason() -> None:
    assert rules.closed_reason(consultation(), now=OPENS + timedelta(days=1)) is None
    rules.ensure_open(consultation(), now=OPENS + timedelta(days=1))


def test_a_closed_consultation_says_when_it_closed() -> None:
    reason = rules.closed_reason(consultation(), now=CLOSES + timedelta(hours=1))
    assert reason.startswith("This consultation closed on 30 April 2026 at 18:00.")  # BST
    assert "can still be read" in reason


def test_a_consultation_closed_early_is_closed_from_then_and_says_so() -> None:
    early = OPENS + timedelta(days=10)
    closed = consultation(closed_early_at=early)
    assert closed.effective_closes_at == early
    assert closed.phase_at(early - timedelta(seconds=1)) is Phase.open
    assert closed.phase_at(early) is Phase.closed
    reason = rules.closed_reason(closed, now=early + timedelta(minutes=1))
    assert reason.startswith("The organisers closed this consultation early, on 12 March 2026")


@pytest.mark.parametrize("now", [OPENS - timedelta(minutes=1), CLOSES])
def test_ensure_open_refuses_outside_the_open_phase(now) -> None:
    with pytest.raises(rules.ConsultationClosed) as refused:
        rules.ensure_open(consultation(), now=now)
    assert isinstance(refused.value, Conflict)
    assert refused.value.message == rules.closed_reason(consultation(), now=now)


@pytest.mark.parametrize(
    ("required", "level", "allowed"),
    [
        ("email", VerificationLevel.none, False),
        ("email", VerificationLevel.email, True),
        ("email", VerificationLevel.identity, True),
        ("identity", VerificationLevel.none, False),
        ("identity", VerificationLevel.email, False),
        ("identity", VerificationLevel.identity, True),
    ],
)
def test_level_problem_compares_the_verification_levels(required, level, allowed) -> None:
    problem = rules.level_problem(consultation(required_level=required), level)
    assert (problem is None) is allowed


def test_level_problem_says_how_to_reach_the_level() -> None:
    identity = rules.level_problem(consultation(required_level="identity"), VerificationLevel.email)
    assert "verified identity" in identity and "account page" in identity
    email = rules.level_problem(consultation(required_level="email"), VerificationLevel.none)
    assert email == "Confirm your e-mail address to take part."


def test_ensure_level_refuses_with_the_problem() -> None:
    c = consultation(required_level="identity")
    with pytest.raises(Forbidden) as refused:
        rules.ensure_level(c, VerificationLevel.email)
    assert refused.value.message == rules.level_problem(c, VerificationLevel.email)
    rules.ensure_level(c, VerificationLevel.identity)
