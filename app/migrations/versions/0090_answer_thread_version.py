"""each answer's thread version: its cached card outlives changes elsewhere on the page

A question page keeps each answer's rendered card (the answer and its first replies) in the
web layer's cache. Any change to a question's posts bumps the question's ``feed_version``,
which renders the list around the cards again; until now each card was then found again by a
fingerprint of its content, which meant reading every answer's first replies on every change
to any of them. ``thread_version`` is bumped by database triggers, in the same transaction,
whenever one of the answer's replies is added, changed (edited, hidden, removed, moved) or
deleted, or a reply's author changes pseudonym; so the answer's row alone says whether its
cached card is still right, whichever code path changed the thread, and only the answers whose
threads changed have their replies read.

The triggers' own update of the answer row is not a change of the question's posts: the
triggers that bump ``question.feed_version`` now leave it out (the reply's change bumped it).

Locks are taken in one order, the answer's row before the question's (as an edit of an answer
takes them, and a reply, which counts itself on the answer first): PostgreSQL fires a row's
triggers in the order of their names, so the thread triggers are named to come before the
feed triggers (``contribution_answer_thread`` before ``contribution_feed``,
``account_answer_threads`` before ``account_feed``). Otherwise a moderator hiding a reply while
its answer's author edits it could each hold the row the other waits for. SQLite has one writer
at a time and no such wait.

On SQLite, 0060 rebuilt the account table (a batch operation) and so dropped the trigger that
bumps the feed version of a renamed author's questions: a cached list could show an old
pseudonym until the next post. It is created again here.

Revision ID: 0090
Revises: 0080
Create Date: 2026-12-02 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0090"
down_revision: str | None = "0080"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BUMP = "UPDATE contribution SET thread_version = thread_version + 1 WHERE id"
_OF_AUTHOR = (
    "(SELECT parent_id FROM contribution WHERE author_id = NEW.id AND parent_id IS NOT NULL)"
)

SQLITE_UP = [
    "DROP TRIGGER contribution_feed_update",
    # Not when the row changed is an answer whose thread version a trigger below just bumped.
    """CREATE TRIGGER contribution_feed_update AFTER UPDATE ON contribution
         WHEN NEW.thread_version = OLD.thread_version BEGIN
         UPDATE question SET feed_version = feed_version + 1
         WHERE id IN (NEW.question_id, OLD.question_id); END""",
    f"""CREATE TRIGGER contribution_thread_insert AFTER INSERT ON contribution
         WHEN NEW.parent_id IS NOT NULL BEGIN {_BUMP} = NEW.parent_id; END""",
    f"""CREATE TRIGGER contribution_thread_update AFTER UPDATE ON contribution
         WHEN NEW.parent_id IS NOT NULL OR OLD.parent_id IS NOT NULL BEGIN
         {_BUMP} IN (NEW.parent_id, OLD.parent_id); END""",
    f"""CREATE TRIGGER contribution_thread_delete AFTER DELETE ON contribution
         WHEN OLD.parent_id IS NOT NULL BEGIN {_BUMP} = OLD.parent_id; END""",
    f"""CREATE TRIGGER account_thread_update AFTER UPDATE OF pseudonym ON account BEGIN
         {_BUMP} IN {_OF_AUTHOR}; END""",
    # Lost on SQLite when 0060 rebuilt the account table: put back.
    """CREATE TRIGGER IF NOT EXISTS account_feed_update AFTER UPDATE OF pseudonym ON account
         BEGIN UPDATE question SET feed_version = feed_version + 1 WHERE id IN
           (SELECT question_id FROM contribution WHERE author_id = NEW.id); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER account_thread_update",
    "DROP TRIGGER contribution_thread_delete",
    "DROP TRIGGER contribution_thread_update",
    "DROP TRIGGER contribution_thread_insert",
    "DROP TRIGGER contribution_feed_update",
    """CREATE TRIGGER contribution_feed_update AFTER UPDATE ON contribution BEGIN
         UPDATE question SET feed_version = feed_version + 1
         WHERE id IN (NEW.question_id, OLD.question_id); END""",
]

_POSTGRES_FEED = """CREATE OR REPLACE FUNCTION bump_question_feed() RETURNS trigger
   LANGUAGE plpgsql AS $$
   BEGIN
     {skip}IF TG_OP <> 'INSERT' THEN
       UPDATE question SET feed_version = feed_version + 1 WHERE id = OLD.question_id;
     END IF;
     IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.question_id <> OLD.question_id) THEN
       UPDATE question SET feed_version = feed_version + 1 WHERE id = NEW.question_id;
     END IF;
     RETURN NULL;
   END $$"""
_SKIP_THREAD_BUMP = """IF TG_OP = 'UPDATE' AND NEW.thread_version <> OLD.thread_version THEN
       RETURN NULL;
     END IF;
     """
POSTGRES_UP = [
    _POSTGRES_FEED.format(skip=_SKIP_THREAD_BUMP),
    f"""CREATE FUNCTION bump_answer_thread() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'INSERT' AND OLD.parent_id IS NOT NULL THEN
           {_BUMP} = OLD.parent_id;
         END IF;
         IF TG_OP <> 'DELETE' AND NEW.parent_id IS NOT NULL
            AND (TG_OP = 'INSERT' OR NEW.parent_id IS DISTINCT FROM OLD.parent_id) THEN
           {_BUMP} = NEW.parent_id;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER contribution_answer_thread AFTER INSERT OR UPDATE OR DELETE ON contribution
       FOR EACH ROW EXECUTE FUNCTION bump_answer_thread()""",
    f"""CREATE FUNCTION bump_author_threads() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         {_BUMP} IN {_OF_AUTHOR};
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER account_answer_threads AFTER UPDATE OF pseudonym ON account
       FOR EACH ROW EXECUTE FUNCTION bump_author_threads()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER account_answer_threads ON account",
    "DROP FUNCTION bump_author_threads()",
    "DROP TRIGGER contribution_answer_thread ON contribution",
    "DROP FUNCTION bump_answer_thread()",
    _POSTGRES_FEED.format(skip=""),
]


def upgrade() -> None:
    op.add_column(
        "contribution",
        sa.Column("thread_version", sa.Integer(), nullable=False, server_default="0"),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRES_DOWN:
        op.execute(statement)
    # Not a batch operation: rebuilding the table on SQLite would drop its other triggers.
    op.execute("ALTER TABLE contribution DROP COLUMN thread_version")
