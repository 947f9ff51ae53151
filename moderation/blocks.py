"""Blocking: the blocker no longer sees the blocked person's posts, and the blocked person
cannot reply to the blocker's answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Exists, SQLColumnExpression, bindparam, delete, exists
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from kernel import i18n
from kernel.errors import Forbidden, NotFound
from kernel.reads import columns
from kernel.rows import insert_once
from moderation import posts
from moderation.models import Block


def block(session: Session, *, blocker_id: int, pseudonym: str, now: datetime) -> Block:
    blocked_id = posts.find_account_id(session, pseudonym)
    if blocked_id is None:
        raise NotFound(i18n._("There is no participant with that pseudonym."))
    if blocked_id == blocker_id:
        raise Forbidden(i18n._("You cannot block yourself."))
    # Blocking twice (or twice at once) keeps the one block.
    insert_once(
        session,
        Block,
        {"blocker_id": blocker_id, "blocked_id": blocked_id, "created_at": now},
        unique=("blocker_id", "blocked_id"),
    )
    return session.exec(
        select(Block).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    ).one()


def unblock(session: Session, *, blocker_id: int, pseudonym: str) -> None:
    blocked_id = posts.find_account_id(session, pseudonym)
    if blocked_id is not None:
        session.execute(
            delete(Block).where(
                col(Block.blocker_id) == blocker_id, col(Block.blocked_id) == blocked_id
            )
        )


def blocked_subquery(blocker_id: int | BindParameter[int]) -> SelectOfScalar[int]:
    """``SELECT blocked_id`` for ``blocker_id`` (an id, or a ``bindparam`` for one), to filter
    a feed in SQL."""
    return select(Block.blocked_id).where(Block.blocker_id == blocker_id)


def blocks(blocker_id: SQLColumnExpression[Any], blocked_id: SQLColumnExpression[Any]) -> Exists:
    """Whether ``blocker_id`` blocked ``blocked_id``, as a column another query can read (a
    reply's target is read with it: one statement fewer for every reply)."""
    return exists().where(col(Block.blocker_id) == blocker_id, col(Block.blocked_id) == blocked_id)


_IS_BLOCKED = select(blocks(bindparam("blocker_id"), bindparam("blocked_id")))


def is_blocked(session: Session, *, blocker_id: int | None, blocked_id: int) -> bool:
    if blocker_id is None:
        return False
    params = {"blocker_id": blocker_id, "blocked_id": blocked_id}
    return bool(columns(session, _IS_BLOCKED, params).scalar())


def blocked_pseudonyms(session: Session, *, blocker_id: int) -> list[str]:
    ids = set(session.exec(blocked_subquery(blocker_id)).all())
    return sorted(posts.pseudonyms(session, ids).values())
