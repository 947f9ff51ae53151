"""outbox and scheduled jobs: queued mail (no address: an account or a vault sign-in token,
a template and its parameters), scheduled job runs, the sign-in link kept encrypted until it
is used, and the cursor of an outcome's batched notifications

Revision ID: 0020
Revises: 0005
Create Date: 2026-12-01 09:41:39.015845
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import kernel.tables

revision: str = "0020"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduled_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("due_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("lease_expires_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_job")),
    )
    with op.batch_alter_table("scheduled_job", schema=None) as batch_op:
        batch_op.create_index("ix_scheduled_job_state_due", ["state", "due_at"], unique=False)
        batch_op.create_index(
            "uq_scheduled_job_pending",
            ["name", "key"],
            unique=True,
            postgresql_where=sa.text("state = 'pending'"),
            sqlite_where=sa.text("state = 'pending'"),
        )

    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("sign_in_token_id", sa.Integer(), nullable=True),
        sa.Column("dedupe_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("lease_expires_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["account.id"],
            name=op.f("fk_outbox_message_recipient_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sign_in_token_id"],
            ["vault_sign_in_token.id"],
            name=op.f("fk_outbox_message_sign_in_token_id_vault_sign_in_token"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_message_dedupe_key")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_message_message_id")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_message_due",
            ["priority", "next_attempt_at", "id"],
            unique=False,
            postgresql_where=sa.text("state = 'queued'"),
            sqlite_where=sa.text("state = 'queued'"),
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_message_recipient_id"), ["recipient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_message_sign_in_token_id"), ["sign_in_token_id"], unique=False
        )
        batch_op.create_index(
            "ix_outbox_message_state_finished", ["state", "finished_at"], unique=False
        )

    with op.batch_alter_table("consultation_outcome", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notify_cursor", sa.Integer(), nullable=True))
        # Existing outcomes start at 0 (their respondents, if any, were told without a count).
        batch_op.add_column(
            sa.Column("notified_count", sa.Integer(), nullable=False, server_default="0")
        )

    with op.batch_alter_table("vault_sign_in_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_ct", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vault_sign_in_token", schema=None) as batch_op:
        batch_op.drop_column("link_ct")

    with op.batch_alter_table("consultation_outcome", schema=None) as batch_op:
        batch_op.drop_column("notified_count")
        batch_op.drop_column("notify_cursor")

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_state_finished")
        batch_op.drop_index(batch_op.f("ix_outbox_message_sign_in_token_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_recipient_id"))
        batch_op.drop_index(
            "ix_outbox_message_due",
            postgresql_where=sa.text("state = 'queued'"),
            sqlite_where=sa.text("state = 'queued'"),
        )

    op.drop_table("outbox_message")
    with op.batch_alter_table("scheduled_job", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_scheduled_job_pending",
            postgresql_where=sa.text("state = 'pending'"),
            sqlite_where=sa.text("state = 'pending'"),
        )
        batch_op.drop_index("ix_scheduled_job_state_due")

    op.drop_table("scheduled_job")
