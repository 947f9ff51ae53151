"""Moderation's answers to what the rest of the site asks it (hook implementations)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from kernel.hooks import hookimpl
from moderation import evidence


@hookimpl
def held_contribution_ids(session: Session, contribution_ids: Sequence[int]) -> set[int]:
    """Posts kept as evidence: in an open case or referred to the police."""
    return evidence.held_post_ids(session, contribution_ids)
