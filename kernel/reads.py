"""Reading columns, not entities, on a session's connection.

``Session.execute`` runs every statement through the ORM: it compiles an ORM state for the
statement, looks for entities to load and wraps the result, even for a ``SELECT`` of plain
columns that loads none. That costs about 0.1 ms a statement (``bench/README.md``), as much as
SQLite takes to run a page's query. ``columns`` runs such a statement on the session's own
connection, in its transaction, after flushing what the session has pending (as
``Session.execute`` does), and gives the same rows. A statement that selects entities (a
``Question``, a ``User``) still goes through ``Session.execute``, which builds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import CursorResult, Executable
from sqlmodel import Session

if TYPE_CHECKING:  # SQLAlchemy 2.1's names for a row of any columns
    from sqlalchemy.util.typing import TupleAny, Unpack


def columns(
    session: Session, statement: Executable, params: Mapping[str, Any] | None = None
) -> CursorResult[Unpack[TupleAny]]:
    """The rows of ``statement`` (columns only), read in ``session``'s transaction."""
    if session.autoflush:
        session.flush()  # a no-op when nothing is pending, as in Session.execute
    return session.connection().execute(statement, params)
