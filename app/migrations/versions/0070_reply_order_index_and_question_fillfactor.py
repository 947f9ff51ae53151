"""replies read in their order from the index alone; room for a question's feed version

Revision ID: 0070
Revises: 0062
Create Date: 2026-12-01 12:00:00.000000

An answer's first replies are read oldest first, by ``created_at`` then ``id``. SQLite's index
on (``parent_id``, ``created_at``) ends with the row id, so it gave that order; PostgreSQL's
did not, and sorted every answer's replies again (``bench/query_plans.py``: an incremental
sort under each of the 50 branches of the query). The index now names ``id`` as well.

Every post bumps its question's ``feed_version`` (the answer list's cache key), so each
question row is updated again and again. On PostgreSQL each update writes a new version of the
row; with free room on its page the new version stays there (a "HOT" update, no new index
entries, the old versions pruned as the page is next read), without it every update adds an
entry to each of the table's indexes until a vacuum. Question pages are kept half empty.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0070"
down_revision: str | Sequence[str] | None = "0062"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index("ix_contribution_parent")
        batch_op.create_index("ix_contribution_parent", ["parent_id", "created_at", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE question SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE question RESET (fillfactor)")
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index("ix_contribution_parent")
        batch_op.create_index("ix_contribution_parent", ["parent_id", "created_at"])
