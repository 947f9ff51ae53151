"""What a person's own data needs from other domains, declared as hooks (``kernel.hooks``).

Which contributions are kept as evidence (legal hold) is the moderation domain's knowledge; it
answers ``held_contribution_ids`` in ``moderation.hookimpls``. With no answer, nothing is held.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from kernel.hooks import hookspec


class PersonalDataSpec:
    @hookspec
    def held_contribution_ids(self, session: Session, contribution_ids: Sequence[int]) -> set[int]:
        """The subset of ``contribution_ids`` under legal hold (one call, not one per id)."""
        return set()  # a specification's body is never run: pluggy calls the implementations
