"""join the vault, moderation and analysis branches

Revision ID: 0005
Revises: 0002, 0003, 0004
Create Date: 2026-11-21 09:50:17.903451
"""

from collections.abc import Sequence

revision: str = "0005"
down_revision: tuple[str, ...] = ("0002", "0003", "0004")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: this revision only joins the three branches into one head."""


def downgrade() -> None:
    """Nothing to undo."""
