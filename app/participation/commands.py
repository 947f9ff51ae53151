"""Taking part: answering a question (one response per respondent per consultation), choosing
whether the answers are published, and replying to an answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlmodel import Session, SQLModel, col, select

from app.accounts.models import AccountStatus, User
from app.consultations import rules
from app.consultations.models import (
    Consultation,
    ModerationMode,
    Question,
    Stance,
)
from app.participation import reply_notices
from app.participation.models import (
    Channel,
    Contribution,
    Kind,
    PostState,
    RespondentType,
    Response,
)
from app.participation.text import parse_content_note, render_markdown, text_problem
from app.participation.views import find_response
from app.ratelimit.limiter import Limit
from kernel import hooks, i18n, localtime
from kernel.errors import Conflict, Forbidden, FormInvalid, NotFound
from kernel.rows import insert_once
from kernel.text import clean
from moderation import blocks as moderation_blocks
from moderation import watch as moderation_watch

ANSWER_MIN, ANSWER_MAX = 10, 5000
REPLY_MIN, REPLY_MAX = 2, 2000


def _check_can_post(user: User, *, now: datetime) -> None:
    if user.status == AccountStatus.suspended and (
        user.suspended_until is None or user.suspended_until > now
    ):
        until = f" until {localtime.current().date(user.suspended_until)}"
        until = until if user.suspended_until else ""
        raise Forbidden(
            i18n._("Your account is suspended{until}, so you cannot post.", until=until)
        )
    if user.status in (AccountStatus.excluded, AccountStatus.deleted):
        raise Forbidden(i18n._("This account can no longer take part."))


def _parse_stance(value: str | None) -> Stance | None:
    try:
        return Stance(value) if value else None
    except ValueError:
        return None


def _initial_state(consultation: Consultation, verdict: str | None = None) -> PostState:
    if consultation.moderation_mode == ModerationMode.pre or verdict == "hold":
        return PostState.held
    return PostState.visible


def submit_answer(
    session: Session,
    *,
    consultation: Consultation,
    question: Question,
    author: User,
    stance: str | None,
    text: str | None,
    publish: bool | None,
    now: datetime,
    limit: Limit | None = None,
    content_note: str | None = None,
) -> Contribution:
    """Create or edit the author's answer to one question (one response per consultation).
    ``content_note``: None when the author gave none (the box unticked), else its text.

    ``limit``: count the answer against the author's posting limit in this transaction, once
    the input is checked and before the answer's row is written (over the limit,
    ``RateLimited`` and the caller rolls back); without it, nothing is counted (the demo and
    operator tools)."""
    rules.ensure_open(consultation, now=now)
    rules.ensure_level(consultation, author.level)
    _check_can_post(author, now=now)
    errors: dict[str, str] = {}
    text = clean(text)
    parsed = _parse_stance(stance)
    if parsed is None:
        errors["stance"] = i18n._("Choose agree, disagree, neutral or not sure.")
    problem = text_problem(text, minimum=ANSWER_MIN, maximum=ANSWER_MAX, what="answer")
    if problem:
        errors["text"] = problem
    content_note, note_problem = parse_content_note(content_note)
    if note_problem:
        errors["content_note"] = note_problem
    if errors or parsed is None:
        raise FormInvalid(errors)
    assert consultation.id is not None, "a stored consultation"
    assert question.id is not None, "a stored question"
    verdict = moderation_watch.screen(session, text=text)
    # Rendered, and the answer read, before anything is written: on SQLite the first write
    # takes the database's one write lock, which is then held until the commit.
    html = render_markdown(text)
    response, raced = _response_of(
        session, consultation=consultation, author=author, publish=publish, now=now
    )
    if publish is not None and publish != response.is_public:
        _set_visibility(session, response=response, is_public=publish)
    answer = session.exec(
        select(Contribution).where(
            Contribution.response_id == response.id, Contribution.question_id == question.id
        )
    ).first()
    if raced and answer is not None:
        raise _sent_twice()
    if limit is not None:
        # Before the answer's row and the question's (through the triggers), which other
        # people's requests wait for: the counter is the author's own (as a reply takes it).
        limit.count(session, str(author.id))
    response.updated_at = now
    if answer is None:
        answer = _first_answer(
            session,
            question=question,
            response=response,
            author=author,
            html=html,
            now=now,
            state=_initial_state(consultation, verdict),
            stance=parsed,
            text=text,
        )
    elif answer.state in (PostState.removed, PostState.deleted):
        raise Conflict(i18n._("This answer was removed and can no longer be edited."))
    else:
        answer.edited_at = now
        answer.updated_at = now
        if verdict == "hold" and answer.state == PostState.visible:
            answer.state = PostState.held
    answer.stance = parsed.value
    answer.content_note = content_note
    answer.source_text = text
    answer.html = html
    answer.is_public = response.is_public
    session.add(answer)
    session.add(response)
    session.flush()
    assert answer.id is not None, "flushed, so it has its id"
    moderation_watch.post_saved(
        session,
        post_id=answer.id,
        verdict=verdict,
        now=now,
        edited=answer.edited_at == now,
        pre_moderated=answer.edited_at is None
        and consultation.moderation_mode == ModerationMode.pre,
    )
    hooks.announce(session, "answers_changed", consultation_id=consultation.id, now=now)
    return answer


def _sent_twice() -> Conflict:
    return Conflict(
        i18n._(
            "Your answer to this question was saved a moment ago (it was sent twice). "
            "Open the question to see it, and edit it there if you need to."
        )
    )


def _response_of(
    session: Session,
    *,
    consultation: Consultation,
    author: User,
    publish: bool | None,
    now: datetime,
) -> tuple[Response, bool]:
    """The author's response to the consultation, created if it is their first answer, and
    whether another request created it at the same moment.

    Two first answers at once (a double submission, or two questions answered in two tabs)
    must not both create one: the insert does nothing when the other request's response
    exists or is being stored (it waits for that to commit), and both then use the one
    response (``kernel.rows.insert_once``)."""
    response = find_response(session, consultation=consultation, user=author)
    if response is not None:
        return response, False
    created = insert_once(
        session,
        Response,
        {
            "consultation_id": consultation.id,
            "respondent_id": author.id,
            "is_public": True if publish is None else publish,
            "channel": Channel.web.value,
            "respondent_type": RespondentType.individual.value,
            "may_name_organisation": False,
            "is_late": False,
            "created_at": now,
            "updated_at": now,
        },
        unique=("consultation_id", "respondent_id"),
    )
    response = find_response(session, consultation=consultation, user=author)
    assert response is not None, "stored by this request or by the one it waited for"
    return response, created is None


def _first_answer(
    session: Session,
    *,
    question: Question,
    response: Response,
    author: User,
    html: str,
    now: datetime,
    state: PostState,
    stance: Stance,
    text: str,
) -> Contribution:
    """Store the first answer to a question; refused when the same answer was stored a moment
    ago by another request of the same person (``UNIQUE (response_id, question_id)``)."""
    stored = insert_once(
        session,
        Contribution,
        {
            "kind": Kind.answer.value,
            "question_id": question.id,
            "response_id": response.id,
            "author_id": author.id,
            "source_text": text,
            "html": html,
            "stance": stance.value,
            "is_public": response.is_public,
            "state": state.value,
            "reply_count": 0,
            "created_at": now,
            "updated_at": now,
        },
        unique=("response_id", "question_id"),
    )
    if stored is None:
        raise _sent_twice()
    answer = session.get(Contribution, stored)
    assert answer is not None, "inserted just now"
    return answer


def _set_visibility(session: Session, *, response: Response, is_public: bool) -> None:
    response.is_public = is_public
    session.execute(
        update(Contribution)
        .where(col(Contribution.response_id) == response.id)
        .values(is_public=is_public)
    )


def set_response_visibility(
    session: Session, *, consultation: Consultation, user: User, is_public: bool, now: datetime
) -> Response:
    rules.ensure_open(consultation, now=now)
    response = find_response(session, consultation=consultation, user=user)
    if response is None:
        raise NotFound(i18n._("You have not answered this consultation yet."))
    _set_visibility(session, response=response, is_public=is_public)
    response.updated_at = now
    session.add(response)
    return response


# The Core table behind ``Contribution`` (SQLModel's types do not declare ``__table__``).
_contribution = SQLModel.metadata.tables[Contribution.__tablename__]


# The answer's thread version moves with its count: the triggers that bump the question's feed
# version leave out an update that changed the thread version (the reply's own insert, just
# after, bumps it), so a reply updates the question's row once, not twice.
_COUNT_REPLY = (
    update(_contribution)
    .where(_contribution.c.id == bindparam("answer_id"))
    .values(
        reply_count=_contribution.c.reply_count + 1,
        thread_version=_contribution.c.thread_version + 1,
    )
)  # built once


def add_reply(
    session: Session,
    *,
    consultation: Consultation,
    parent: Contribution,
    author: User,
    text: str | None,
    now: datetime,
    limit: Limit | None = None,
    content_note: str | None = None,
    blocked: bool | None = None,
) -> Contribution:
    """Reply to a published answer (one level: replies to replies are refused); ``limit`` and
    ``content_note`` as for ``submit_answer``; ``blocked``, whether the answer's author blocked
    ``author``, when the caller read it already (read here when None)."""
    rules.ensure_open(consultation, now=now)
    rules.ensure_level(consultation, author.level)
    _check_can_post(author, now=now)
    if parent.kind != Kind.answer:
        raise FormInvalid(
            {"text": i18n._("Replies can only be made to answers, not to other replies.")}
        )
    if not parent.is_public or parent.state != PostState.visible:
        raise NotFound(i18n._("This answer is not published, so it cannot be replied to."))
    assert author.id is not None, "a stored account"
    if blocked is None:
        blocked = moderation_blocks.is_blocked(
            session, blocker_id=parent.author_id, blocked_id=author.id
        )
    if blocked:
        raise Forbidden(i18n._("You cannot reply to this participant."))
    text = clean(text)
    problem = text_problem(text, minimum=REPLY_MIN, maximum=REPLY_MAX, what="reply")
    content_note, note_problem = parse_content_note(content_note)
    if problem or note_problem:
        refused = {"text": problem, "content_note": note_problem}
        raise FormInvalid({name: message for name, message in refused.items() if message})
    verdict = moderation_watch.screen(session, text=text)
    reply = Contribution(
        kind=Kind.reply,
        question_id=parent.question_id,
        parent_id=parent.id,
        author_id=author.id,
        source_text=text,
        html=render_markdown(text),
        content_note=content_note,
        is_public=True,
        state=_initial_state(consultation, verdict),
        created_at=now,
        updated_at=now,
    )
    # The writes, in the order that holds the most wanted lock for the shortest time. The
    # replier's own rate-limit counter first (nobody else's request waits for it), as an
    # answer's edit does; then the answer's row, the order an edit of the answer takes its
    # locks in (the answer, then the question's feed version, through the triggers), so that a
    # reply and an edit at the same moment never wait for each other in a circle. The people
    # to tell are read once the answer's row is held (a reply to the same answer a moment
    # earlier has then committed, and its author is among them), and the reply's insert, which
    # takes the question's row that every reply and edit on the question waits for, comes
    # last, just before the commit.
    if limit is not None:
        limit.count(session, str(author.id))
    to: list[int] = []
    if reply.state == PostState.visible:
        session.execute(_COUNT_REPLY, {"answer_id": parent.id})
        to = reply_notices.recipients(session, parent_id=parent.id, author_id=author.id)
    session.add(reply)
    session.flush()
    assert reply.id is not None, "flushed, so it has its id"
    moderation_watch.post_saved(
        session,
        post_id=reply.id,
        verdict=verdict,
        edited=False,
        pre_moderated=consultation.moderation_mode == ModerationMode.pre,
        now=now,
    )
    reply_notices.queue_reply_notices(session, reply=reply, parent=parent, now=now, to=to)
    return reply


# Built once: every reply runs it. Whether the answer's author blocked the replier comes with
# the answer (one statement fewer).
_REPLY_TARGET = (
    select(
        Contribution,
        Consultation,
        Question.position,
        moderation_blocks.blocks(col(Contribution.author_id), bindparam("author_id")),
    )
    .join(Question, col(Question.id) == col(Contribution.question_id))
    .join(Consultation, col(Consultation.id) == col(Question.consultation_id))
    .where(Contribution.id == bindparam("answer_id"))
)


def reply_to(
    session: Session,
    *,
    answer_id: int,
    author: User,
    text: str | None,
    now: datetime,
    limit: Limit | None = None,
    content_note: str | None = None,
) -> Contribution:
    """Reply to the answer with this id (its consultation looked up in the same query)."""
    return reply_at(
        session,
        answer_id=answer_id,
        author=author,
        text=text,
        now=now,
        limit=limit,
        content_note=content_note,
    ).reply


@dataclass(frozen=True)
class PostedReply:
    reply: Contribution
    slug: str  # the consultation's address
    number: int  # the question's number


def reply_at(
    session: Session,
    *,
    answer_id: int,
    author: User,
    text: str | None,
    now: datetime,
    limit: Limit | None = None,
    content_note: str | None = None,
) -> PostedReply:
    """``reply_to``, and where the answer replied to is (read in the same query)."""
    row = session.exec(
        _REPLY_TARGET, params={"answer_id": answer_id, "author_id": author.id}
    ).first()
    if row is None or not row[1].is_published:
        raise NotFound(i18n._("There is no such post."))
    parent, consultation, number, blocked = row
    reply = add_reply(
        session,
        consultation=consultation,
        parent=parent,
        author=author,
        text=text,
        now=now,
        limit=limit,
        content_note=content_note,
        blocked=bool(blocked),
    )
    return PostedReply(reply=reply, slug=consultation.slug, number=number)
