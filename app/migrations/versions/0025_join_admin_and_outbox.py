"""join the admin (0010) and outbox (0020) branches

Revision ID: 0025
Revises: 0010, 0020
"""

from collections.abc import Sequence

revision: str = "0025"
down_revision: tuple[str, ...] = ("0010", "0020")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: this revision only joins two branches into one head."""


def downgrade() -> None:
    """Nothing to undo."""
