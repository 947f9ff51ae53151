"""Disclosures of identities (two-person rule) and OpenID Connect logins in flight.

Neither table holds identifying data; identities stay encrypted in vault_identity.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 09:27:32.887101
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import kernel.tables

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "disclosure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_user_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("reason_category", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("notice_delayed_until", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("requested_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("view_expires_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("viewed_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["account.id"], name=op.f("fk_disclosure_decided_by_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["account.id"], name=op.f("fk_disclosure_requested_by_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["subject_user_id"],
            ["account.id"],
            name=op.f("fk_disclosure_subject_user_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure")),
    )
    with op.batch_alter_table("disclosure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_disclosure_reason_category"), ["reason_category"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_disclosure_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_disclosure_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_disclosure_subject_user_id"), ["subject_user_id"], unique=False
        )

    op.create_table(
        "oidc_login",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("code_verifier", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("next_path", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["account.id"],
            name=op.f("fk_oidc_login_user_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_login")),
        sa.UniqueConstraint("state_hash", name=op.f("uq_oidc_login_state_hash")),
    )
    with op.batch_alter_table("oidc_login", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oidc_login_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("oidc_login", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oidc_login_expires_at"))

    op.drop_table("oidc_login")
    with op.batch_alter_table("disclosure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disclosure_subject_user_id"))
        batch_op.drop_index(batch_op.f("ix_disclosure_status"))
        batch_op.drop_index(batch_op.f("ix_disclosure_requested_by_id"))
        batch_op.drop_index(batch_op.f("ix_disclosure_reason_category"))

    op.drop_table("disclosure")
