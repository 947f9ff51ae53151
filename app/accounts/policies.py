"""Permission checks as pure functions that return a decision with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import Role, User
from kernel.errors import Forbidden


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def has_role(user: User | None, role: Role) -> Decision:
    if user is None:
        return Decision(False, "Sign in to continue.")
    if role in user.role_set:
        return ALLOWED
    return Decision(False, f"This page is for {role.value}s only.")


def require(decision: Decision) -> None:
    if not decision.allowed:
        raise Forbidden(decision.reason)
