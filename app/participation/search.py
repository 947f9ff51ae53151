"""Searching a question's answers by their words and narrowing them to one stance.

Words are matched whole, whatever their capitals, and every word must be in the answer. The
same words are looked for on both databases, split the same way (letters and digits; anything
else separates): SQLite's FTS5 table ``contribution_fts`` (unicode61, no stemming) and
PostgreSQL's ``to_tsvector('simple', source_text)`` (no stemming, no stop words), each served
by its own index (migration 0061), so the two find the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, literal_column, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func

from app.consultations.models import Stance
from app.participation.models import Contribution

MAX_WORDS = 8
MAX_WORD = 60
_WORD = re.compile(r"[^\W_]+")
_SIMPLE: ColumnElement[str] = literal_column("'simple'::regconfig")


def words_of(typed: str | None) -> tuple[str, ...]:
    """The words looked for in what was typed: lower-case, at most eight, each once."""
    found: list[str] = []
    for word in _WORD.findall((typed or "").lower()):
        word = word[:MAX_WORD]
        if word not in found:
            found.append(word)
    return tuple(found[:MAX_WORDS])


@dataclass(frozen=True)
class AnswerFilter:
    """What the list of a question's answers is narrowed to (nothing, by default)."""

    typed: str = ""  # as typed, to show back in the search box
    words: tuple[str, ...] = ()
    stance: Stance | None = None

    @classmethod
    def read(cls, *, q: str | None, stance: str | None) -> AnswerFilter:
        """From the query string; a stance that is not one is left out."""
        typed = " ".join((q or "").split())[:200]
        try:
            chosen = Stance(stance) if stance else None
        except ValueError:
            chosen = None
        return cls(typed=typed, words=words_of(typed), stance=chosen)

    @property
    def active(self) -> bool:
        return bool(self.words) or self.stance is not None

    def key(self) -> tuple[str, ...]:
        """For a cache key: what decides the list."""
        return (*self.words, "|", self.stance.value if self.stance else "")


def conditions(session: Session, chosen: AnswerFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions of ``chosen`` for a query on ``Contribution``."""
    found: list[ColumnElement[bool]] = []
    if chosen.stance is not None:
        found.append(col(Contribution.stance) == chosen.stance.value)
    if chosen.words:
        found.append(_words_match(session, chosen.words))
    return found


def _words_match(session: Session, words: tuple[str, ...]) -> ColumnElement[bool]:
    if session.get_bind().dialect.name == "postgresql":
        query = " & ".join(words)  # letters and digits only: nothing to escape
        return func.to_tsvector(_SIMPLE, col(Contribution.source_text)).op("@@")(
            func.to_tsquery(_SIMPLE, query)
        )
    phrase = " AND ".join(f'"{word}"' for word in words)  # each word quoted: no operators
    rowid: ColumnElement[int] = literal_column("rowid")
    matching: Select[int] = (
        sa_select(rowid)
        .select_from(text("contribution_fts"))
        .where(text("contribution_fts MATCH :fts_words").bindparams(fts_words=phrase))
    )
    return col(Contribution.id).in_(matching)


NO_FILTER = AnswerFilter()
