"""The posts of a debate as pages show them (``PostView``), and the queries that read them:
the author's pseudonym joined, the replies, the labels of removed posts, the blocks of the
viewer. Nothing here shows who is behind a pseudonym."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, SQLColumnExpression, or_, select, true
from sqlmodel import Session, col

from app.accounts.models import User
from app.consultations.models import STANCE_LABELS, Stance
from app.participation.models import Contribution, PostState
from moderation import blocks as moderation_blocks
from moderation import queue as moderation_queue

SHOWN_STATES = (PostState.visible, PostState.removed)


@dataclass(frozen=True)
class PostView:
    """What a page may show of an answer or a reply: never who is behind the pseudonym."""

    id: int
    author_pseudonym: str
    author_id: int | None
    html: str
    stance: str | None
    state: str
    created_at: datetime
    edited_at: datetime | None
    reply_count: int = 0
    replies: list[PostView] = field(default_factory=list)
    removed_reason: str | None = None  # the category of the moderators' decision

    @property
    def is_removed(self) -> bool:
        return self.state == PostState.removed

    @property
    def stance_label(self) -> str:
        return STANCE_LABELS[Stance(self.stance)] if self.stance else ""


_POST_COLUMNS = (
    col(Contribution.id),
    col(User.pseudonym),
    col(Contribution.author_id),
    col(Contribution.html),
    col(Contribution.stance),
    col(Contribution.state),
    col(Contribution.created_at),
    col(Contribution.edited_at),
    col(Contribution.reply_count),
    col(Contribution.parent_id),
)


def post_select(*more: SQLColumnExpression[Any]) -> Select[*tuple[Any, ...]]:
    """The columns of a ``PostView`` (and ``more``), the author's pseudonym joined."""
    return select(*_POST_COLUMNS, *more).join(
        User, col(User.id) == col(Contribution.author_id), isouter=True
    )


def post_view(row: Row[*tuple[Any, ...]]) -> PostView:
    removed = row.state == PostState.removed
    return PostView(
        id=row.id,
        author_pseudonym=row.pseudonym or "Former participant",
        author_id=row.author_id,
        html="" if removed else row.html,
        stance=row.stance,
        state=row.state,
        created_at=row.created_at,
        edited_at=row.edited_at,
        reply_count=row.reply_count,
        replies=[],
    )


def not_blocked(viewer_id: int | None) -> ColumnElement[bool]:
    """Hide the posts of people the viewer blocked (a no-op condition when signed out)."""
    if viewer_id is None:
        return true()
    return or_(
        col(Contribution.author_id).is_(None),
        col(Contribution.author_id).not_in(moderation_blocks.blocked_subquery(viewer_id)),
    )


def complete_threads(session: Session, answers: list[PostView], *, viewer_id: int | None) -> None:
    """Give each answer its shown replies (oldest first, less those of anyone the viewer
    blocked), and each removed post among them all its label: two queries."""
    by_id = {answer.id: answer for answer in answers}
    rows = session.execute(
        post_select()
        .where(
            col(Contribution.parent_id).in_(list(by_id)),
            col(Contribution.state).in_(SHOWN_STATES),
            not_blocked(viewer_id),
        )
        .order_by(col(Contribution.created_at), col(Contribution.id))
    ).all()
    for row in rows:
        by_id[row.parent_id].replies.append(post_view(row))
    _label_removed(session, answers)


def _label_removed(session: Session, answers: list[PostView]) -> None:
    """Give each removed post the category of the decision that removed it (one query)."""
    removed = [p for a in answers for p in [a, *a.replies] if p.is_removed]
    labels = moderation_queue.removal_labels(session, [p.id for p in removed])
    for post in removed:  # PostView is frozen; this is its last step of construction
        object.__setattr__(post, "removed_reason", labels.get(post.id))
