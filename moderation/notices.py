"""Telling people what happened: an in-site notice, and the same text by e-mail (queued by the
site through the ``notify_participant`` hook, sent after the transaction commits).

Notices are plain text. They never name a reporter, and never reveal anyone's identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, update
from sqlmodel import Session, col, select

from kernel import paging
from moderation import hooks
from moderation.models import Notice


def notify(
    session: Session,
    *,
    recipient_id: int | None,
    case_id: int | None,
    subject: str,
    body: str,
    now: datetime,
) -> Notice | None:
    if recipient_id is None:
        return None
    notice = Notice(
        recipient_id=recipient_id, case_id=case_id, subject=subject[:200], body=body, created_at=now
    )
    session.add(notice)
    session.flush()
    assert notice.id is not None, "flushed, so it has its id"
    hooks.notify_participant(session, recipient_id=recipient_id, notice_id=notice.id, now=now)
    return notice


def find_notice(session: Session, notice_id: int) -> Notice | None:
    """A notice by id (the site's mail reads it when the e-mail is sent)."""
    return session.get(Notice, notice_id)


@dataclass(frozen=True)
class NoticePage:
    notices: list[Notice]
    page: int
    pages: int
    unread: int


def notices_for(
    session: Session,
    *,
    recipient_id: int,
    page: int = 1,
    per_page: int = 20,
    now: datetime | None = None,
) -> NoticePage:
    total, unread = session.exec(
        select(func.count(), func.sum(case((col(Notice.read_at).is_(None), 1), else_=0))).where(
            Notice.recipient_id == recipient_id
        )
    ).one()
    page, pages = paging.clamp(page, total=total, per_page=per_page)
    rows = session.exec(
        select(Notice)
        .where(Notice.recipient_id == recipient_id)
        .order_by(col(Notice.created_at).desc(), col(Notice.id).desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if now is not None:
        session.execute(
            update(Notice)
            .where(col(Notice.recipient_id) == recipient_id, col(Notice.read_at).is_(None))
            .values(read_at=now)
        )
    return NoticePage(notices=list(rows), page=page, pages=pages, unread=int(unread or 0))
