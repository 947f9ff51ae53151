"""themes and second coding: theme runs, suggested themes and their answers, themes as
codebook tags of one question, blind second codings and their settlement

Read by hand: the partial unique index ``uq_theme_run_active`` (one queued or running run per
question) is written for both SQLite and PostgreSQL; ``theme_answer``'s primary key is the
answer alone, so an answer is in at most one suggestion.

Revision ID: 0050
Revises: 0005
Create Date: 2026-12-01 09:31:42.179705
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import kernel.tables

revision: str = "0050"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "second_coding_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("requested_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"],
            ["account.id"],
            name=op.f("fk_second_coding_request_coder_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_second_coding_request_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_second_coding_request_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["account.id"],
            name=op.f("fk_second_coding_request_requested_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_second_coding_request")),
        sa.UniqueConstraint("question_id", name=op.f("uq_second_coding_request_question_id")),
    )
    with op.batch_alter_table("second_coding_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_second_coding_request_consultation_id"),
            ["consultation_id"],
            unique=False,
        )

    op.create_table(
        "theme_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("themes_found", sa.Integer(), nullable=False),
        sa.Column("other_count", sa.Integer(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_theme_run_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_theme_run_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["account.id"],
            name=op.f("fk_theme_run_requested_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_run")),
    )
    with op.batch_alter_table("theme_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_theme_run_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_theme_run_question_id"), ["question_id"], unique=False)
        batch_op.create_index(
            "ix_theme_run_state_requested", ["state", "requested_at"], unique=False
        )
        batch_op.create_index(
            "uq_theme_run_active",
            ["question_id"],
            unique=True,
            sqlite_where=sa.text("state IN ('queued', 'running')"),
            postgresql_where=sa.text("state IN ('queued', 'running')"),
        )

    op.create_table(
        "second_coding",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("first_evaluation", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("first_coder_id", sa.Integer(), nullable=True),
        sa.Column("second_evaluation", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("second_coded_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("settled_evaluation", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("settled_by_id", sa.Integer(), nullable=True),
        sa.Column("settled_at", kernel.tables.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contribution.id"],
            name=op.f("fk_second_coding_contribution_id_contribution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["first_coder_id"],
            ["account.id"],
            name=op.f("fk_second_coding_first_coder_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_second_coding_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["second_coding_request.id"],
            name=op.f("fk_second_coding_request_id_second_coding_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["settled_by_id"],
            ["account.id"],
            name=op.f("fk_second_coding_settled_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("contribution_id", name=op.f("pk_second_coding")),
    )
    with op.batch_alter_table("second_coding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_second_coding_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index(
            "ix_second_coding_request_coded", ["request_id", "second_evaluation"], unique=False
        )

    op.create_table(
        "theme_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("phrases", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", kernel.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_theme_suggestion_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_theme_suggestion_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["theme_run.id"],
            name=op.f("fk_theme_suggestion_run_id_theme_run"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["codebook_tag.id"],
            name=op.f("fk_theme_suggestion_tag_id_codebook_tag"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_suggestion")),
    )
    with op.batch_alter_table("theme_suggestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_theme_suggestion_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_theme_suggestion_question_id"), ["question_id"], unique=False
        )

    op.create_table(
        "theme_answer",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contribution.id"],
            name=op.f("fk_theme_answer_contribution_id_contribution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_theme_answer_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["theme_suggestion.id"],
            name=op.f("fk_theme_answer_suggestion_id_theme_suggestion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contribution_id", name=op.f("pk_theme_answer")),
    )
    with op.batch_alter_table("theme_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_theme_answer_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index(
            "ix_theme_answer_suggestion_rank", ["suggestion_id", "rank"], unique=False
        )

    with op.batch_alter_table("codebook_tag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_codebook_tag_question_id"), ["question_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_codebook_tag_question_id_question"),
            "question",
            ["question_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("codebook_tag", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_codebook_tag_question_id_question"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_codebook_tag_question_id"))
        batch_op.drop_column("question_id")

    with op.batch_alter_table("theme_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_theme_answer_suggestion_rank")
        batch_op.drop_index(batch_op.f("ix_theme_answer_question_id"))

    op.drop_table("theme_answer")
    with op.batch_alter_table("theme_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_suggestion_question_id"))
        batch_op.drop_index(batch_op.f("ix_theme_suggestion_consultation_id"))

    op.drop_table("theme_suggestion")
    with op.batch_alter_table("second_coding", schema=None) as batch_op:
        batch_op.drop_index("ix_second_coding_request_coded")
        batch_op.drop_index(batch_op.f("ix_second_coding_question_id"))

    op.drop_table("second_coding")
    with op.batch_alter_table("theme_run", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_theme_run_active",
            sqlite_where=sa.text("state IN ('queued', 'running')"),
            postgresql_where=sa.text("state IN ('queued', 'running')"),
        )
        batch_op.drop_index("ix_theme_run_state_requested")
        batch_op.drop_index(batch_op.f("ix_theme_run_question_id"))
        batch_op.drop_index(batch_op.f("ix_theme_run_consultation_id"))

    op.drop_table("theme_run")
    with op.batch_alter_table("second_coding_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_second_coding_request_consultation_id"))

    op.drop_table("second_coding_request")
