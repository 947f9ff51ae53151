"""The posts of a debate as pages show them (``PostView``), and the queries that read them:
the author's pseudonym joined, the replies, the labels of removed posts, the blocks of the
viewer. Nothing here shows who is behind a pseudonym."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Row,
    Select,
    SQLColumnExpression,
    bindparam,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlmodel import Session, col

from app.accounts.models import User
from app.consultations.models import STANCE_LABELS, Stance
from app.participation.models import Contribution, PostState
from kernel import i18n, paging
from kernel.reads import columns
from moderation import blocks as moderation_blocks
from moderation import removals as moderation_removals

SHOWN_STATES = (PostState.visible, PostState.removed)
# A question page shows the first few replies of each answer and links to the rest, so that
# its size does not grow with the conversation; an answer's own page shows them a page at a
# time.
REPLIES_SHOWN = 3
REPLIES_PER_PAGE = 25


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
    content_note: str | None = None  # the author's: readers open the text themselves
    replies: list[PostView] = field(default_factory=list)
    removed_reason: str | None = None  # the category of the moderators' decision
    shown_replies: int = 0  # how many replies are shown in all (``replies`` may be fewer)
    thread_version: int = 0  # an answer's: changes with any change to its replies

    @property
    def more_replies(self) -> int:
        """Replies not among ``replies`` (shown on the answer's own page)."""
        return max(0, self.shown_replies - len(self.replies))

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
    col(Contribution.content_note),
    col(Contribution.thread_version),
)
_POST_WIDTH = len(_POST_COLUMNS)


def post_select(*more: SQLColumnExpression[Any]) -> Select[*tuple[Any, ...]]:
    """The columns of a ``PostView`` (and ``more``), the author's pseudonym joined."""
    return select(*_POST_COLUMNS, *more).join(
        User, col(User.id) == col(Contribution.author_id), isouter=True
    )


def post_view(row: Row[*tuple[Any, ...]]) -> PostView:
    # By position (the order of ``_POST_COLUMNS``): a row's attributes by name cost a quarter
    # of a microsecond each, and pages build hundreds of these.
    (
        post_id,
        pseudonym,
        author_id,
        html,
        stance,
        state,
        created_at,
        edited_at,
        reply_count,
        _parent_id,
        content_note,
        thread_version,
    ) = row[:_POST_WIDTH]
    removed = state == PostState.removed
    return PostView(
        id=post_id,
        author_pseudonym=pseudonym or i18n._("Former participant"),
        author_id=author_id,
        html="" if removed else html,
        stance=stance,
        state=state,
        created_at=created_at,
        edited_at=edited_at,
        reply_count=reply_count,
        content_note=None if removed else content_note,
        replies=[],
        thread_version=thread_version,
    )


def not_blocked(viewer_id: int | BindParameter[int] | None) -> ColumnElement[bool]:
    """Hide the posts of people the viewer blocked (a no-op condition when signed out)."""
    if viewer_id is None:
        return true()
    return or_(
        col(Contribution.author_id).is_(None),
        col(Contribution.author_id).not_in(moderation_blocks.blocked_subquery(viewer_id)),
    )


def shown() -> ColumnElement[bool]:
    """A post that pages show: visible, or removed (a marker in its place). Written as two
    comparisons rather than ``IN``: SQLAlchemy expands an ``IN`` list on every execution, which
    in the fifty-part statement of ``complete_threads`` cost more than running it."""
    return or_(
        col(Contribution.state) == PostState.visible,
        col(Contribution.state) == PostState.removed,
    )


def _shown_replies(viewer_id: int | None) -> list[ColumnElement[bool]]:
    """The replies a viewer sees: visible or removed (a marker), less those of anyone the
    viewer blocked."""
    return [shown(), not_blocked(viewer_id)]


def complete_threads(
    session: Session,
    answers: list[PostView],
    *,
    viewer_id: int | None,
    per_answer: int = REPLIES_SHOWN,
) -> None:
    """Give each answer its first ``per_answer`` shown replies (oldest first) and the number
    shown in all, and each removed post among them its label, in three queries whose cost does
    not grow with the length of the threads: the first replies of each answer are read from
    the index on ``(parent_id, created_at)``, ``per_answer`` rows each (one ``UNION ALL`` of
    one small range per answer), and the counts from the index on ``(parent_id, state)``."""
    by_id = {answer.id: answer for answer in answers}
    ids = list(by_id)
    for start in range(0, len(ids), _ANSWERS_PER_STATEMENT):
        chunk = ids[start : start + _ANSWERS_PER_STATEMENT]
        slots = statement_slots(len(chunk))
        statement = _first_replies(slots, per_answer, blocked=viewer_id is not None)
        params: dict[str, int | None] = _slot_params(chunk, slots)
        params["viewer_id"] = viewer_id
        for row in columns(session, statement, params):
            by_id[row.parent_id].replies.append(post_view(row))
    count_slots = statement_slots(len(ids))
    counts = (
        columns(session, _reply_counts(count_slots), _slot_params(ids, count_slots))
        if viewer_id is None
        else columns(
            session,
            select(col(Contribution.parent_id), func.count())
            .where(col(Contribution.parent_id).in_(ids), *_shown_replies(viewer_id))
            .group_by(col(Contribution.parent_id)),
        )
    )
    for parent_id, total in counts:
        object.__setattr__(by_id[parent_id], "shown_replies", total)  # still being built
    _label_removed(session, answers)


_ANSWERS_PER_STATEMENT = 100  # SQLite allows 500 parts in one compound SELECT
# A list rebuilt after a reply reads the threads of the one or few answers that changed (the
# others' cards are cached); a list rendered afresh reads a whole page's. Each size kept is a
# statement built and compiled once per worker (the 50-answer one holds some 2 MiB, the
# 5-answer one a tenth of that), so few sizes: the spare slots of one cost nothing to run.
_SLOTS = (1, 5, 50, 100)


def statement_slots(count: int) -> int:
    """How many answers a statement built for ``count`` has room for: one of a few sizes, so
    that a worker builds, compiles and keeps a handful of these long statements instead of one
    for every number of answers a page can have (the compiled form of a 50-answer one holds
    some 2 MiB); the empty slots are bound to NULL, which matches no row."""
    for slots in _SLOTS:
        if count <= slots:
            return slots
    return -(-count // _SLOTS[-1]) * _SLOTS[-1]


def _slot_params(ids: list[int], slots: int) -> dict[str, int | None]:
    params: dict[str, int | None] = {f"a{i}": answer_id for i, answer_id in enumerate(ids)}
    params.update({f"a{i}": None for i in range(len(ids), slots)})
    return params


@lru_cache(maxsize=32)
def _reply_counts(answers: int) -> Select[int | None, int]:
    """How many shown replies each of ``answers`` answers (bound as ``a0``, ``a1``, …) has, no
    viewer's blocks to leave out: built once for each number of answers."""
    return (
        select(col(Contribution.parent_id), func.count())
        .where(
            col(Contribution.parent_id).in_([bindparam(f"a{i}") for i in range(answers)]),
            shown(),
        )
        .group_by(col(Contribution.parent_id))
    )


@lru_cache(maxsize=32)
def _first_replies(answers: int, per_answer: int, *, blocked: bool) -> CompoundSelect[Any]:
    """The first ``per_answer`` shown replies of each of ``answers`` answers (bound as ``a0``,
    ``a1``, …; ``viewer_id`` when ``blocked``), oldest first: built once for each shape."""
    members = []
    for i in range(answers):
        member = (
            post_select()
            .where(
                col(Contribution.parent_id) == bindparam(f"a{i}"),
                shown(),
                not_blocked(bindparam("viewer_id")) if blocked else true(),
            )
            .order_by(col(Contribution.created_at), col(Contribution.id))
            .limit(per_answer)
        )
        members.append(select(member.subquery()))
    return union_all(*members)


@dataclass(frozen=True)
class ReplyPage:
    replies: list[PostView]
    page: int
    pages: int
    total: int
    per_page: int

    @property
    def first(self) -> int:
        """The number of the page's first reply (1 for the first reply of all)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.replies) - 1


def reply_page(
    session: Session,
    answer: PostView,
    *,
    viewer_id: int | None,
    page: int,
    per_page: int = REPLIES_PER_PAGE,
) -> ReplyPage:
    """One page of an answer's shown replies, oldest first (a page past the last shows the
    last): two queries and the labels of removed ones."""
    count, rows_of = _reply_page_statements(blocked=viewer_id is not None)
    params = {"answer_id": answer.id, "viewer_id": viewer_id}
    total = columns(session, count, params).scalar_one()
    page, pages = paging.clamp(page, total=total, per_page=per_page)
    params |= {"limit": per_page, "offset": (page - 1) * per_page}
    replies = [post_view(row) for row in columns(session, rows_of, params)]
    object.__setattr__(answer, "shown_replies", total)
    answer.replies[:] = replies
    _label_removed(session, [answer])
    return ReplyPage(replies=replies, page=page, pages=pages, total=total, per_page=per_page)


@lru_cache(maxsize=2)
def _reply_page_statements(*, blocked: bool) -> tuple[Select[int], Select[Any]]:
    """``reply_page``'s count and page of replies (bound: ``answer_id``, ``viewer_id`` when
    ``blocked``, ``limit``, ``offset``), built once: building them cost more than running them."""
    shown_to = [
        col(Contribution.parent_id) == bindparam("answer_id"),
        shown(),
        not_blocked(bindparam("viewer_id")) if blocked else true(),
    ]
    count = select(func.count()).select_from(Contribution).where(*shown_to)
    rows = (
        post_select()
        .where(*shown_to)
        .order_by(col(Contribution.created_at), col(Contribution.id))
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return count, rows


def _label_removed(session: Session, answers: list[PostView]) -> None:
    """Give each removed post the category of the decision that removed it (one query)."""
    removed = [p for a in answers for p in [a, *a.replies] if p.is_removed]
    labels = moderation_removals.removal_labels(session, [p.id for p in removed])
    for post in removed:  # PostView is frozen; this is its last step of construction
        object.__setattr__(post, "removed_reason", labels.get(post.id))
