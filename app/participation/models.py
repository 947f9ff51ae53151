"""Responses (one per respondent per consultation) and contributions (answers and replies)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from kernel.clock import utcnow
from kernel.tables import UTCDateTime


class Channel(StrEnum):
    web = "web"
    email = "email"
    post = "post"


class RespondentType(StrEnum):
    individual = "individual"
    organisation = "organisation"


class Kind(StrEnum):
    answer = "answer"
    reply = "reply"


class PostState(StrEnum):
    """Moderation state of a contribution; only ``visible`` ones are shown to the public."""

    visible = "visible"
    held = "held"  # waiting for a moderator (pre-moderation or a watched word)
    hidden = "hidden"  # hidden pending review
    removed = "removed"  # removed by moderators; a marker stays in the thread
    deleted = "deleted"  # deleted by its author


class Response(SQLModel, table=True):
    __tablename__ = "response"
    __table_args__ = (UniqueConstraint("consultation_id", "respondent_id"),)

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True)
    respondent_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    is_public: bool = Field(default=True)
    channel: str = Field(default=Channel.web, max_length=10)
    respondent_type: str = Field(default=RespondentType.individual, max_length=20)
    organisation_name: str | None = Field(default=None, max_length=200)
    may_name_organisation: bool = Field(default=False)  # consent to be listed in the summary
    is_late: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Contribution(SQLModel, table=True):
    __tablename__ = "contribution"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        # The question page walks these in order and stops after one page of rows.
        Index(
            "ix_contribution_question_feed", "question_id", "kind", "is_public", "created_at", "id"
        ),
        Index(
            "ix_contribution_question_replied",
            "question_id",
            "kind",
            "is_public",
            "reply_count",
            "id",
        ),
        # The stance summary is counted from this index alone.
        Index(
            "ix_contribution_question_stance", "question_id", "kind", "is_public", "state", "stance"
        ),
        # Replies in the order they are shown (the id too: PostgreSQL would sort again).
        Index("ix_contribution_parent", "parent_id", "created_at", "id"),
        # How many replies each answer shows is counted from this index alone.
        Index("ix_contribution_parent_state", "parent_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)
    question_id: int = Field(foreign_key="question.id")
    response_id: int | None = Field(default=None, foreign_key="response.id")
    parent_id: int | None = Field(default=None, foreign_key="contribution.id")
    author_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    stance: str | None = Field(default=None, max_length=10)
    evaluation: str | None = Field(default=None, max_length=10)  # coded (app.analysis.coding)
    source_text: str = Field(sa_type=Text)
    html: str = Field(sa_type=Text)
    # The author's content note ("describes sexual violence"): readers see it first and open
    # the text themselves. None = no note.
    content_note: str | None = Field(default=None, max_length=200)
    is_public: bool = Field(default=True)
    state: str = Field(default=PostState.visible, max_length=10)
    reply_count: int = Field(default=0)
    # An answer's: bumped by database triggers whenever one of its replies (or a reply's
    # author's pseudonym) changes, so that its cached card can be checked against its row.
    thread_version: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
