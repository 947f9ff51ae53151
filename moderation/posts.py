"""Reading and changing posts and accounts through the shared metadata, by table name.

The post ("contribution"), account, question and consultation tables belong to the web
application; moderation reaches them by name, as its foreign keys do, so that it never
imports ``app``. Only a few columns are used, listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, Table, select, update
from sqlmodel import Session, SQLModel

from kernel import i18n
from kernel.errors import NotFound

VISIBLE, HELD, HIDDEN, REMOVED, DELETED = "visible", "held", "hidden", "removed", "deleted"


def table(name: str) -> Table:
    try:
        return SQLModel.metadata.tables[name]
    except KeyError:
        raise RuntimeError(f"the {name!r} table is not registered (import app.models)") from None


@dataclass(frozen=True)
class Post:
    id: int
    kind: str
    parent_id: int | None
    author_id: int | None
    author_pseudonym: str
    source_text: str
    html: str
    state: str
    created_at: datetime
    edited_at: datetime | None
    question_id: int
    question_number: int
    question_text: str
    consultation_id: int
    consultation_title: str
    consultation_slug: str


def _post_query() -> Select[*tuple[Any, ...]]:
    c, a, q, k = table("contribution"), table("account"), table("question"), table("consultation")
    return (
        select(
            c.c.id,
            c.c.kind,
            c.c.parent_id,
            c.c.author_id,
            a.c.pseudonym,
            c.c.source_text,
            c.c.html,
            c.c.state,
            c.c.created_at,
            c.c.edited_at,
            q.c.id.label("question_id"),
            q.c.position,
            q.c.text.label("question_text"),
            k.c.id.label("consultation_id"),
            k.c.title,
            k.c.slug,
        )
        .select_from(c)
        .join(q, q.c.id == c.c.question_id)
        .join(k, k.c.id == q.c.consultation_id)
        .join(a, a.c.id == c.c.author_id, isouter=True)
    )


def _post(row: Row[*tuple[Any, ...]]) -> Post:
    return Post(
        id=row[0],
        kind=row[1],
        parent_id=row[2],
        author_id=row[3],
        author_pseudonym=row[4] or "Former participant",
        source_text=row[5],
        html=row[6],
        state=row[7],
        created_at=row[8],
        edited_at=row[9],
        question_id=row[10],
        question_number=row[11],
        question_text=row[12],
        consultation_id=row[13],
        consultation_title=row[14],
        consultation_slug=row[15],
    )


def find_post(session: Session, post_id: int) -> Post | None:
    c = table("contribution")
    row = session.execute(_post_query().where(c.c.id == post_id)).first()
    return _post(row) if row is not None else None


def get_post(session: Session, post_id: int) -> Post:
    post = find_post(session, post_id)
    if post is None:
        raise NotFound(i18n._("There is no such post."))
    return post


def get_public_post(session: Session, post_id: int) -> Post:
    """A post that the public can see (published, visible, in a published consultation): the
    only posts that may be reported. Anything else is "not found", so that report pages never
    reveal a private, held, hidden or removed post."""
    c, k, q = table("contribution"), table("consultation"), table("question")
    row = session.execute(
        select(c.c.is_public, c.c.state, k.c.is_published)
        .select_from(c)
        .join(q, q.c.id == c.c.question_id)
        .join(k, k.c.id == q.c.consultation_id)
        .where(c.c.id == post_id)
    ).first()
    if row is None or not row.is_public or row.state != VISIBLE or not row.is_published:
        raise NotFound(i18n._("There is no such post."))
    return get_post(session, post_id)


def thread_of(session: Session, post: Post, *, limit: int = 20) -> list[Post]:
    """The thread around a post: its answer and up to ``limit`` replies, oldest first."""
    c = table("contribution")
    answer_id = post.parent_id if post.kind == "reply" and post.parent_id else post.id
    rows = session.execute(
        _post_query()
        .where((c.c.id == answer_id) | (c.c.parent_id == answer_id))
        .order_by(c.c.parent_id.is_not(None), c.c.created_at, c.c.id)
        .limit(limit + 1)
    ).all()
    return [_post(row) for row in rows]


def set_post_state(session: Session, post_id: int | None, state: str) -> None:
    if post_id is None:
        return
    c = table("contribution")
    session.execute(update(c).where(c.c.id == post_id).values(state=state))


def pseudonyms(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    a = table("account")
    return dict(session.execute(select(a.c.id, a.c.pseudonym).where(a.c.id.in_(ids))).all())


def account_created(session: Session, ids: set[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    a = table("account")
    return dict(session.execute(select(a.c.id, a.c.created_at).where(a.c.id.in_(ids))).all())


def find_account_id(session: Session, pseudonym: str) -> int | None:
    a = table("account")
    return session.execute(select(a.c.id).where(a.c.pseudonym == pseudonym)).scalar()


def set_account_status(
    session: Session,
    account_id: int | None,
    *,
    status: str,
    suspended_until: datetime | None = None,
) -> None:
    if account_id is None:
        return
    a = table("account")
    session.execute(
        update(a).where(a.c.id == account_id).values(status=status, suspended_until=suspended_until)
    )
