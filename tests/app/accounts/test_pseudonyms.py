"""Pseudonyms: generated suggestions that are always usable, and the rules a chosen one
must follow."""

from __future__ import annotations

import pytest

from app.accounts import pseudonyms
from app.accounts.pseudonyms import pseudonym_problem, suggest_pseudonym


def test_suggestions_are_always_usable_and_vary() -> None:
    suggestions = {suggest_pseudonym() for _ in range(200)}
    assert all(pseudonym_problem(s) is None for s in suggestions)
    assert len(suggestions) > 150


def test_a_suggestion_is_an_adjective_a_noun_and_two_digits() -> None:
    suggestion = suggest_pseudonym()
    number = suggestion[-2:]
    assert number.isdigit() and 10 <= int(number) <= 99
    words = suggestion[:-2].lower()
    assert any(
        words == adjective + noun
        for adjective in pseudonyms.ADJECTIVES
        for noun in pseudonyms.NOUNS
    )


@pytest.mark.parametrize("name", ["Abc", "Quiet_Heron", "brave-otter-7", "A" + "b" * 29])
def test_these_pseudonyms_are_accepted(name: str) -> None:
    assert pseudonym_problem(name) is None


@pytest.mark.parametrize(
    "name", ["", "ab", "A" + "b" * 30, "7Heron", "_Heron", "Calm Heron", "Calm.Heron", "Hé"]
)
def test_the_shape_of_a_pseudonym_is_checked(name: str) -> None:
    assert pseudonym_problem(name) == (
        "Use 3 to 30 letters, digits, hyphens or underscores, starting with a letter."
    )


@pytest.mark.parametrize(
    "name", ["Admin", "TheModerator", "chief_ORGANISER", "PoliceFan", "Staff1"]
)
def test_a_name_suggesting_an_official_role_is_refused(name: str) -> None:
    assert pseudonym_problem(name) == "Choose a name that does not suggest an official role."


def test_the_operator_may_use_a_reserved_word() -> None:
    assert pseudonym_problem("ReclaimStaff", allow_reserved=True) is None
    assert pseudonym_problem("x", allow_reserved=True) is not None
