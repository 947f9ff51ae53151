"""index to count an answer's shown replies without reading them

Revision ID: 0030
Revises: 0025
Create Date: 2026-12-01 10:45:00.000000

The question page shows the first replies of each answer and how many there are in all; the
count reads only this index (``parent_id``, ``state``), however long the thread.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030"
down_revision: str | Sequence[str] | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_contribution_parent_state", "contribution", ["parent_id", "state"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_contribution_parent_state", table_name="contribution")
