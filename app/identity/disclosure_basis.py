"""What a disclosure request is for: the moderation case or the police referral it names.

A request giving "police referral" as its category must name an existing referral, and any
request may name the moderation case it concerns; either must be about the participant whose
identity is asked for. The approving custodian then sees the case and the referral, not only
free text.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.identity.models import DisclosureReason
from kernel import i18n
from kernel.ids import parse_id
from kernel.text import clean
from moderation.models import ModerationCase, PoliceReferral


@dataclass(frozen=True)
class Basis:
    case_id: int | None
    referral_id: int | None


def _number(text: str | None) -> tuple[str, int | None]:
    typed = clean(text, single_line=True).removeprefix("#").strip()
    for word in ("case", "referral", "police referral"):
        if typed.lower().startswith(word):
            typed = typed[len(word) :].strip()
    return typed, parse_id(typed) if typed else None


def read_basis(
    session: Session,
    errors: dict[str, str],
    *,
    category: DisclosureReason | None,
    subject_id: int | None,
    case: str | None,
    referral: str | None,
) -> Basis:
    """The case and referral named on the form; each problem goes into ``errors``."""
    case_text, case_id = _number(case)
    referral_text, referral_id = _number(referral)
    found_case = session.get(ModerationCase, case_id) if case_id else None
    found_referral = session.get(PoliceReferral, referral_id) if referral_id else None
    if case_text and found_case is None:
        errors["case"] = i18n._("There is no moderation case with this number.")
    elif found_case is not None and subject_id and found_case.author_id != subject_id:
        errors["case"] = i18n._("This case is about another participant's post.")
    if category is DisclosureReason.police_referral and not referral_text:
        errors["referral"] = i18n._("Give the number of the police referral this request is for.")
    elif referral_text and found_referral is None:
        errors["referral"] = i18n._("There is no police referral with this number.")
    elif found_referral is not None:
        referred = session.get(ModerationCase, found_referral.case_id)
        if subject_id and (referred is None or referred.author_id != subject_id):
            errors["referral"] = i18n._("This referral is about another participant's post.")
        elif found_case is not None and found_referral.case_id != found_case.id:
            errors["referral"] = i18n._("This referral belongs to another case than the one named.")
    return Basis(
        case_id=found_case.id
        if found_case
        else (found_referral.case_id if found_referral else None),
        referral_id=found_referral.id if found_referral else None,
    )
