"""Legal hold: content kept as evidence for a moderation case or a police referral.

When a person deletes their account and asks for their contributions to be removed, the ones
on legal hold are kept (with their author link, for the case) and the person is told so. Which
contributions are held is the moderation domain's knowledge: it registers a *checker* here,

    from app import legal_hold

    @legal_hold.register
    def held_by_cases(session, contribution_ids):  # -> set of held ids
        ...

and ``held_contribution_ids`` asks every registered checker. With no checker registered (the
state of this branch), nothing is on hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlmodel import Session

Checker = Callable[[Session, Sequence[int]], set[int]]
_checkers: list[Checker] = []


def register(checker: Checker) -> Checker:
    """Add a checker (usable as a decorator)."""
    if checker not in _checkers:
        _checkers.append(checker)
    return checker


def held_contribution_ids(session: Session, contribution_ids: Sequence[int]) -> set[int]:
    """The subset of ``contribution_ids`` under legal hold (one call per checker, not per id)."""
    ids = list(contribution_ids)
    held: set[int] = set()
    if not ids:
        return held
    for checker in _checkers:
        held |= set(checker(session, ids)) & set(ids)
    return held


def legal_hold(session: Session, *, contribution_id: int) -> bool:
    """Whether one contribution is under legal hold."""
    return contribution_id in held_contribution_ids(session, [contribution_id])
