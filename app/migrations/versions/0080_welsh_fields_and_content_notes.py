"""Welsh beside English, content notes, the language of each person's e-mails (issue 13)

Consultations get a Welsh title, summary and introduction and a content note (in both
languages); questions a Welsh text, guidance and stance prompt (empty = shown in English);
answers and replies an optional content note; accounts the language their e-mails are written
in. Plain column additions with defaults: no table is rewritten, so the triggers that bump a
question's feed version stay as they are.

Revision ID: 0080
Revises: 0070
Create Date: 2026-12-01 11:47:10.498831
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0080"
down_revision: str | None = "0070"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString

_CONSULTATION = (
    ("title_cy", String(length=200)),
    ("summary_cy", String(length=400)),
    ("introduction_cy", sa.Text()),
    ("introduction_cy_html", sa.Text()),
    ("content_note", String(length=300)),
    ("content_note_cy", String(length=300)),
)
_QUESTION = (
    ("text_cy", String(length=1000)),
    ("guidance_cy", String(length=2000)),
    ("stance_prompt_cy", String(length=300)),
)


def upgrade() -> None:
    op.add_column(
        "account",
        sa.Column("language", String(length=8), nullable=False, server_default="en"),
    )
    for name, type_ in _CONSULTATION:
        op.add_column("consultation", sa.Column(name, type_, nullable=False, server_default=""))
    for name, type_ in _QUESTION:
        op.add_column("question", sa.Column(name, type_, nullable=False, server_default=""))
    op.add_column("contribution", sa.Column("content_note", String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contribution") as batch_op:
        batch_op.drop_column("content_note")
    with op.batch_alter_table("question") as batch_op:
        for name, _type in reversed(_QUESTION):
            batch_op.drop_column(name)
    with op.batch_alter_table("consultation") as batch_op:
        for name, _type in reversed(_CONSULTATION):
            batch_op.drop_column(name)
    with op.batch_alter_table("account") as batch_op:
        batch_op.drop_column("language")
