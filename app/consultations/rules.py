"""Who may answer a consultation, and when: its phase and the verification it asks for."""

from __future__ import annotations

from datetime import datetime

from app.accounts.models import VerificationLevel
from app.consultations.models import Consultation, Phase
from kernel import i18n, localtime
from kernel.errors import Conflict, Forbidden
from kernel.i18n import _
from kernel.plurals import plural


class ConsultationClosed(Conflict):
    title = i18n.N_("This consultation is closed")


def closed_reason(consultation: Consultation, *, now: datetime) -> str | None:
    """Why nobody can answer now, in words for the page; None while it is open."""
    phase = consultation.phase_at(now)
    times = localtime.current()
    if phase is Phase.upcoming:
        return _("This consultation opens on {when}.", when=times.datetime(consultation.opens_at))
    if phase is Phase.closed:
        when = times.datetime(consultation.effective_closes_at)
        if consultation.closed_early_at is not None:
            return _(
                "The organisers closed this consultation early, on {when}. "
                "Answers and replies can still be read but no longer added or changed.",
                when=when,
            )
        return _(
            "This consultation closed on {when}. Answers and replies can still be read "
            "but no longer added or changed.",
            when=when,
        )
    return None


def deadline(consultation: Consultation, *, now: datetime) -> str:
    """When it opens or closes, in words and in the site's time zone: "Closes in 12 days, on
    15 January 2027 at 23:59." Days are counted between calendar dates in that zone, so a
    consultation closing at 23:59 tonight "closes today"."""
    times = localtime.current()
    phase = consultation.phase_at(now)
    today = times.local(now).date()
    if phase is Phase.upcoming:
        when = times.datetime(consultation.opens_at)
        days = (times.local(consultation.opens_at).date() - today).days
        if days == 0:
            return _("Opens today, at {time}.", time=times.time(consultation.opens_at))
        if days == 1:
            return _("Opens tomorrow, {when}.", when=when)
        return plural(
            days, "Opens in {n} day, on {when}.", "Opens in {n} days, on {when}.", when=when
        )
    closes = consultation.effective_closes_at
    when = times.datetime(closes)
    if phase is Phase.closed:
        return _("Closed on {when}.", when=when)
    days = (times.local(closes).date() - today).days
    if days == 0:
        return _("Closes today, at {time}.", time=times.time(closes))
    if days == 1:
        return _("Closes tomorrow, {when}.", when=when)
    return plural(
        days, "Closes in {n} day, on {when}.", "Closes in {n} days, on {when}.", when=when
    )


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
        return _(
            "This consultation asks every respondent to have a verified identity. "
            "Verify your identity from your account page, then come back to answer."
        )
    return _("Confirm your e-mail address to take part.")


def ensure_level(consultation: Consultation, level: VerificationLevel) -> None:
    problem = level_problem(consultation, level)
    if problem:
        raise Forbidden(problem)
