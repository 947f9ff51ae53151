"""a disclosure request names the moderation case or police referral it is for

Revision ID: 0062
Revises: 0061
Create Date: 2026-12-01 12:10:00.000000

``disclosure.case_id`` and ``disclosure.referral_id``, empty for requests made before; kept
empty (SET NULL) if the case or referral is ever deleted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0062"
down_revision: str | Sequence[str] | None = "0061"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("disclosure") as batch:
        batch.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("referral_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_disclosure_case_id_moderation_case"),
            "moderation_case",
            ["case_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            batch.f("fk_disclosure_referral_id_moderation_referral"),
            "moderation_referral",
            ["referral_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("disclosure") as batch:
        batch.drop_constraint(
            batch.f("fk_disclosure_referral_id_moderation_referral"), type_="foreignkey"
        )
        batch.drop_constraint(batch.f("fk_disclosure_case_id_moderation_case"), type_="foreignkey")
        batch.drop_column("referral_id")
        batch.drop_column("case_id")
