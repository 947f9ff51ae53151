"""join main (admin, outbox, reply-count index: 0030) and the themes branch (0050)

Revision ID: 0051
Revises: 0030, 0050
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0051"
down_revision: tuple[str, ...] = ("0030", "0050")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: this revision only joins the two branches into one head."""


def downgrade() -> None:
    """Nothing to undo."""
