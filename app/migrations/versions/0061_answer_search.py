"""full-text search of answers: an FTS5 index on SQLite, a GIN index on PostgreSQL

Revision ID: 0061
Revises: 0060
Create Date: 2026-12-01 11:55:00.000000

A question's answers can be searched by their words (``app.participation.search``). On SQLite
an external-content FTS5 table (``contribution_fts``, tokenised by unicode61 without stemming)
of the answers (not the replies) is kept in step with ``contribution.source_text`` by
triggers; on PostgreSQL an expression
index on ``to_tsvector('simple', source_text)`` (the "simple" configuration: no stemming, no
stop words) serves the same queries, so both find the same answers. Neither is a table the
models know: ``app.schema.is_schema_object`` leaves them out of the comparison of models and
migrations.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0061"
down_revision: str | Sequence[str] | None = "0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Only answers are searched: replies are left out of the index (and their writes cost nothing).
SQLITE_UP = [
    """CREATE VIRTUAL TABLE contribution_fts USING fts5(
        source_text, content='contribution', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """INSERT INTO contribution_fts(rowid, source_text)
        SELECT id, source_text FROM contribution WHERE kind = 'answer'""",
    """CREATE TRIGGER contribution_fts_insert AFTER INSERT ON contribution
    WHEN new.kind = 'answer' BEGIN
        INSERT INTO contribution_fts(rowid, source_text) VALUES (new.id, new.source_text);
    END""",
    """CREATE TRIGGER contribution_fts_delete AFTER DELETE ON contribution
    WHEN old.kind = 'answer' BEGIN
        INSERT INTO contribution_fts(contribution_fts, rowid, source_text)
        VALUES ('delete', old.id, old.source_text);
    END""",
    """CREATE TRIGGER contribution_fts_update AFTER UPDATE OF source_text ON contribution
    WHEN old.kind = 'answer' AND new.source_text IS NOT old.source_text BEGIN
        INSERT INTO contribution_fts(contribution_fts, rowid, source_text)
        VALUES ('delete', old.id, old.source_text);
        INSERT INTO contribution_fts(rowid, source_text) VALUES (new.id, new.source_text);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER contribution_fts_update",
    "DROP TRIGGER contribution_fts_delete",
    "DROP TRIGGER contribution_fts_insert",
    "DROP TABLE contribution_fts",
]
POSTGRESQL_UP = [
    """CREATE INDEX ix_contribution_words ON contribution
        USING gin (to_tsvector('simple'::regconfig, source_text))""",
]
POSTGRESQL_DOWN = ["DROP INDEX ix_contribution_words"]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else POSTGRESQL_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRESQL_DOWN:
        op.execute(statement)
