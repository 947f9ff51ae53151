"""Who may answer a consultation, and when: its phase and the verification it asks for."""

from __future__ import annotations

from datetime import datetime

from app.accounts.models import VerificationLevel
from app.consultations.models import Consultation, Phase
from kernel import i18n, localtime
from kernel.errors import Conflict, Forbidden


class ConsultationClosed(Conflict):
    title = i18n.N_("This consultation is closed")


def closed_reason(consultation: Consultation, *, now: datetime) -> str | None:
    """Why nobody can answer now, in words for the page; None while it is open."""
    phase = consultation.phase_at(now)
    times = localtime.current()
    if phase is Phase.upcoming:
        return f"This consultation opens on {times.datetime(consultation.opens_at)}."
    if phase is Phase.closed:
        when = times.datetime(consultation.effective_closes_at)
        if consultation.closed_early_at is not None:
            return (
                f"The organisers closed this consultation early, on {when}. "
                "Answers and replies can still be read but no longer added or changed."
            )
        return (
            f"This consultation closed on {when}. Answers and replies can still be read "
            "but no longer added or changed."
        )
    return None


def ensure_open(consultation: Consultation, *, now: datetime) -> None:
    reason = closed_reason(consultation, now=now)
    if reason:
        raise ConsultationClosed(reason)


def level_problem(consultation: Consultation, level: VerificationLevel) -> str | None:
    """Why a person at ``level`` may not answer, and how to reach the level; None if they may."""
    required = VerificationLevel(consultation.required_level)
    if level.rank >= required.rank:
        return None
    if required is VerificationLevel.identity:
        return (
            "This consultation asks every respondent to have a verified identity. "
            "Verify your identity from your account page, then come back to answer."
        )
    return "Confirm your e-mail address to take part."


def ensure_level(consultation: Consultation, level: VerificationLevel) -> None:
    problem = level_problem(consultation, level)
    if problem:
        raise Forbidden(problem)
