"""E-mail to the people in a conversation when someone replies, for those who asked for it.

Replies go one level deep, under an answer: a new reply is news to the answer's author and to
the authors of the earlier replies under it. Each of them who has turned on "tell me when
someone replies to me" (``User.notify_replies``) gets one message through the outbox, queued in
the reply's own transaction; nobody else is written to. The message is rendered at delivery:
if the reply is no longer published by then, or the person has turned the e-mails off, it is
not sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, or_
from sqlmodel import Session, col, select

from app.accounts.models import AccountStatus, User
from app.consultations.models import Consultation, Question
from app.outbox.queue import NewMail, Template, queue_mails
from app.participation.models import Contribution, Kind, PostState
from kernel import i18n
from kernel.reads import columns

EXCERPT = 300

# Built once: every published reply runs it. The people in the conversation (the answer's
# author and the earlier repliers) who asked to hear of replies, other than the new reply's.
_RECIPIENTS = (
    select(User.id)
    .distinct()
    .join(Contribution, col(Contribution.author_id) == col(User.id))
    .where(
        or_(
            col(Contribution.id) == bindparam("parent_id"),
            col(Contribution.parent_id) == bindparam("parent_id"),
        ),
        col(Contribution.state) != PostState.deleted,
        col(User.notify_replies),
        col(User.status) == AccountStatus.active,
        col(User.id) != bindparam("author_id"),
    )
)


def recipients(session: Session, *, parent_id: int | None, author_id: int | None) -> list[int]:
    """The opted-in people in the conversation under answer ``parent_id``, other than
    ``author_id`` (who is replying)."""
    found = columns(session, _RECIPIENTS, {"parent_id": parent_id, "author_id": author_id})
    return [account_id for account_id in found.scalars() if account_id is not None]


def queue_reply_notices(
    session: Session,
    *,
    reply: Contribution,
    parent: Contribution,
    now: datetime,
    to: list[int] | None = None,
) -> int:
    """Queue a message for each opted-in person in ``parent``'s conversation other than the
    reply's author (one query, one insert), or for ``to`` when the caller read them already
    (``recipients``). Returns how many were queued."""
    if reply.state != PostState.visible or reply.id is None:
        return 0
    if to is None:
        to = recipients(session, parent_id=parent.id, author_id=reply.author_id)
    if not to:
        return 0
    return queue_mails(
        session,
        [
            NewMail(
                template=Template.reply_notification,
                recipient_id=account_id,
                params={"reply_id": reply.id, "account_id": account_id},
                dedupe_key=f"reply:{reply.id}:{account_id}",
            )
            for account_id in to
        ],
        now=now,
    )


def queue_for_published(session: Session, *, post_id: int, now: datetime) -> int:
    """A reply that waited for a moderator is published: tell the conversation now."""
    reply = session.get(Contribution, post_id)
    if reply is None or reply.kind != Kind.reply or reply.parent_id is None:
        return 0
    session.refresh(reply)  # its state was changed by a bulk update
    parent = session.get(Contribution, reply.parent_id)
    if parent is None:
        return 0
    return queue_reply_notices(session, reply=reply, parent=parent, now=now)


@dataclass(frozen=True)
class ReplyNotice:
    replier: str
    excerpt: str
    answer_id: int
    reply_id: int
    consultation_title: str
    question_number: int
    to_own_answer: bool


def reply_notice(session: Session, *, reply_id: int, account_id: int) -> ReplyNotice | None:
    """What the message about ``reply_id`` says to ``account_id``; None when it should no
    longer be sent (the reply is not published, or the person turned the e-mails off)."""
    row = session.exec(
        select(Contribution, User.pseudonym, Consultation.title, Question.position)
        .join(User, col(User.id) == col(Contribution.author_id), isouter=True)
        .join(Question, col(Question.id) == col(Contribution.question_id))
        .join(Consultation, col(Consultation.id) == col(Question.consultation_id))
        .where(col(Contribution.id) == reply_id, col(Contribution.kind) == Kind.reply)
    ).first()
    recipient = session.get(User, account_id)
    if row is None or recipient is None or not recipient.notify_replies:
        return None
    reply, pseudonym, title, number = row
    if reply.state != PostState.visible or reply.parent_id is None:
        return None
    parent = session.get(Contribution, reply.parent_id)
    if parent is None:
        return None
    text = " ".join(reply.source_text.split())
    excerpt = text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"
    return ReplyNotice(
        replier=pseudonym or i18n._("Former participant"),
        excerpt=excerpt,
        answer_id=parent.id or 0,
        reply_id=reply_id,
        consultation_title=title,
        question_number=number,
        to_own_answer=parent.author_id == account_id,
    )
