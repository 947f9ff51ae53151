"""who runs a consultation and other ways to respond; opting in to e-mail about replies

Revision ID: 0060
Revises: 0051
Create Date: 2026-12-01 11:40:00.000000

The consultation page names the organisation that runs it and how to reach it, and how to
respond by e-mail or post (``organiser_name``, ``contact_email``, ``postal_address``, empty
until an organiser fills them in). An account chooses whether it is told by e-mail when
someone replies to one of its posts (``notify_replies``, off until the person opts in).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0060"
down_revision: str | Sequence[str] | None = "0051"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consultation") as batch:
        batch.add_column(
            sa.Column(
                "organiser_name",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=False,
                server_default="",
            )
        )
        batch.add_column(
            sa.Column(
                "contact_email",
                sqlmodel.sql.sqltypes.AutoString(length=254),
                nullable=False,
                server_default="",
            )
        )
        batch.add_column(
            sa.Column(
                "postal_address",
                sqlmodel.sql.sqltypes.AutoString(length=500),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("account") as batch:
        batch.add_column(
            sa.Column("notify_replies", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("notify_replies")
    with op.batch_alter_table("consultation") as batch:
        batch.drop_column("postal_address")
        batch.drop_column("contact_email")
        batch.drop_column("organiser_name")
