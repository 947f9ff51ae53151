"""Moderation service tests run against the real databases with the site's ports installed."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from moderation import hooks as moderation_hooks
from moderation.hookspecs import ModerationSettings


@pytest.fixture
def mod(session: Session) -> ModerationSettings:
    """The site's moderation settings, as its hooks give them to the moderation domain."""
    return moderation_hooks.settings(session)
