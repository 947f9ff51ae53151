"""Permission checks: a decision with a reason, and ``require`` refusing with that reason."""

from __future__ import annotations

import pytest

from app.accounts.models import Role, User
from app.accounts.policies import ALLOWED, Decision, has_role, require
from kernel.errors import Forbidden


def user(roles: str) -> User:
    return User(id=1, pseudonym="Someone1", roles=roles)


def test_a_visitor_is_asked_to_sign_in() -> None:
    decision = has_role(None, Role.citizen)
    assert not decision and decision.reason == "Sign in to continue."


@pytest.mark.parametrize("role", [Role.citizen, Role.organiser])
def test_a_user_with_the_role_is_allowed(role: Role) -> None:
    decision = has_role(user("citizen organiser"), role)
    assert decision and decision is ALLOWED


@pytest.mark.parametrize("role", [Role.moderator, Role.custodian, Role.admin])
def test_a_user_without_the_role_is_told_who_the_page_is_for(role: Role) -> None:
    decision = has_role(user("citizen organiser"), role)
    assert not decision
    assert decision.reason == f"This page is for {role.value}s only."


def test_roles_are_read_from_the_space_separated_list() -> None:
    assert has_role(user("  citizen   moderator "), Role.moderator)
    assert not has_role(user(""), Role.citizen)


def test_require_refuses_with_the_decisions_reason() -> None:
    with pytest.raises(Forbidden) as refused:
        require(has_role(user("citizen"), Role.admin))
    assert refused.value.message == "This page is for admins only."
    assert refused.value.status_code == 403


def test_require_lets_an_allowed_decision_through() -> None:
    require(has_role(user("citizen admin"), Role.admin))
    require(Decision(True))
