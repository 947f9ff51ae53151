"""Reading the debate: a question's answers with their replies, a consultation's summary, a
person's own response. Nothing here shows who is behind a pseudonym."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, func, or_, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.analysis.models import ConsultationOutcome
from app.consultations import catalogue, rules
from app.consultations.models import (
    STANCE_LABELS,
    Consultation,
    ConsultationDocument,
    Question,
    Stance,
)
from app.participation.models import Contribution, Kind, PostState, Response
from kernel.errors import NotFound
from moderation import blocks as moderation_blocks
from moderation import queue as moderation_queue

SHOWN_STATES = (PostState.visible, PostState.removed)


class AnswerSort(StrEnum):
    newest = "newest"
    most_replied = "most_replied"


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


@dataclass(frozen=True)
class StanceSummary:
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def items(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.counts.get(s.value, 0)) for s in Stance]


@dataclass(frozen=True)
class AnswerPage:
    answers: list[PostView]
    summary: StanceSummary
    page: int
    pages: int
    sort: AnswerSort


def stance_summary(session: Session, *, question_id: int) -> StanceSummary:
    rows = session.exec(
        select(Contribution.stance, func.count())
        .where(
            Contribution.question_id == question_id,
            Contribution.kind == Kind.answer,
            Contribution.is_public,
            Contribution.state == PostState.visible,
        )
        .group_by(Contribution.stance)
    ).all()
    return StanceSummary(counts={stance: n for stance, n in rows if stance})


def stance_summaries(session: Session, *, question_ids: list[int]) -> dict[int, StanceSummary]:
    """Summaries for several questions in one grouped query."""
    rows = session.exec(
        select(Contribution.question_id, Contribution.stance, func.count())
        .where(
            col(Contribution.question_id).in_(question_ids),
            Contribution.kind == Kind.answer,
            Contribution.is_public,
            Contribution.state == PostState.visible,
        )
        .group_by(Contribution.question_id, Contribution.stance)
    ).all()
    counts: dict[int, dict[str, int]] = {qid: {} for qid in question_ids}
    for question_id, stance, n in rows:
        counts[question_id][stance] = n
    return {qid: StanceSummary(counts=c) for qid, c in counts.items()}


def _post_columns():
    return (
        Contribution.id,
        User.pseudonym,
        Contribution.author_id,
        Contribution.html,
        Contribution.stance,
        Contribution.state,
        Contribution.created_at,
        Contribution.edited_at,
        Contribution.reply_count,
        Contribution.parent_id,
    )


def _view(row) -> PostView:
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


def answer_page(
    session: Session,
    *,
    question: Question,
    sort: AnswerSort,
    page: int,
    per_page: int,
    blocker_id: int | None = None,
) -> AnswerPage:
    """Published answers of a question, one page of them, with their replies: 4 or 5 queries.

    ``blocker_id``: leave out the posts of everyone this participant blocked.
    """
    summary = stance_summary(session, question_id=question.id)
    base = (
        select(*_post_columns())
        .join(User, User.id == Contribution.author_id, isouter=True)
        .where(
            Contribution.question_id == question.id,
            Contribution.kind == Kind.answer,
            Contribution.is_public,
            col(Contribution.state).in_(SHOWN_STATES),
        )
    )
    if blocker_id is not None:
        base = base.where(_not_blocked(blocker_id))
    if sort is AnswerSort.most_replied:
        base = base.order_by(col(Contribution.reply_count).desc(), col(Contribution.id).desc())
    else:
        base = base.order_by(col(Contribution.created_at).desc(), col(Contribution.id).desc())
    shown_total = summary.total + _removed_count(session, question_id=question.id)
    pages = max(1, -(-shown_total // per_page))
    page = min(max(1, page), pages)
    rows = session.exec(base.limit(per_page).offset((page - 1) * per_page)).all()
    answers = [_view(row) for row in rows]
    by_id = {answer.id: answer for answer in answers}
    if by_id:
        replies = session.exec(
            select(*_post_columns())
            .join(User, User.id == Contribution.author_id, isouter=True)
            .where(
                col(Contribution.parent_id).in_(list(by_id)),
                col(Contribution.state).in_(SHOWN_STATES),
                _not_blocked(blocker_id),
            )
            .order_by(Contribution.created_at, Contribution.id)
        ).all()
        for row in replies:
            by_id[row.parent_id].replies.append(_view(row))
        _label_removed(session, answers)
    return AnswerPage(answers=answers, summary=summary, page=page, pages=pages, sort=sort)


def _not_blocked(viewer_id: int | None):
    """Hide the posts of people the viewer blocked (a no-op condition when signed out)."""
    if viewer_id is None:
        return true()
    return or_(
        col(Contribution.author_id).is_(None),
        col(Contribution.author_id).not_in(moderation_blocks.blocked_subquery(viewer_id)),
    )


def _label_removed(session: Session, answers: list[PostView]) -> None:
    """Give each removed post the category of the decision that removed it (one query)."""
    removed = [p for a in answers for p in [a, *a.replies] if p.is_removed]
    labels = moderation_queue.removal_labels(session, [p.id for p in removed])
    for post in removed:  # PostView is frozen; this is its last step of construction
        object.__setattr__(post, "removed_reason", labels.get(post.id))


def _removed_count(session: Session, *, question_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Contribution)
        .where(
            Contribution.question_id == question_id,
            Contribution.kind == Kind.answer,
            Contribution.is_public,
            Contribution.state == PostState.removed,
        )
    ).one()


def find_response(session: Session, *, consultation: Consultation, user: User) -> Response | None:
    return session.exec(
        select(Response).where(
            Response.consultation_id == consultation.id, Response.respondent_id == user.id
        )
    ).first()


def get_contribution(session: Session, contribution_id: int) -> Contribution:
    contribution = session.get(Contribution, contribution_id)
    if contribution is None:
        raise NotFound("There is no such post.")
    return contribution


@dataclass(frozen=True)
class OwnAnswer:
    question: Question
    answer: Contribution | None


@dataclass(frozen=True)
class OwnResponse:
    consultation: Consultation
    response: Response | None
    answers: list[OwnAnswer]
    closed_reason: str | None

    @property
    def answered(self) -> int:
        return sum(1 for item in self.answers if item.answer is not None)


def own_response(
    session: Session, *, consultation: Consultation, user: User, now: datetime
) -> OwnResponse:
    questions = catalogue.questions_of(session, consultation)
    response = find_response(session, consultation=consultation, user=user)
    by_question: dict[int, Contribution] = {}
    if response is not None:
        for answer in session.exec(
            select(Contribution).where(Contribution.response_id == response.id)
        ):
            by_question[answer.question_id] = answer
    return OwnResponse(
        consultation=consultation,
        response=response,
        answers=[OwnAnswer(q, by_question.get(q.id)) for q in questions],
        closed_reason=rules.closed_reason(consultation, now=now),
    )


def latest_answers(
    session: Session, *, question_ids: list[int], per_question: int
) -> dict[int, list[PostView]]:
    """The newest few published answers of each question, in one windowed query."""
    if not question_ids:
        return {}
    rank = (
        func.row_number()
        .over(
            partition_by=Contribution.question_id,
            order_by=(col(Contribution.created_at).desc(), col(Contribution.id).desc()),
        )
        .label("rank")
    )
    inner = (
        select(*_post_columns(), Contribution.question_id, rank)
        .join(User, User.id == Contribution.author_id, isouter=True)
        .where(
            col(Contribution.question_id).in_(question_ids),
            Contribution.kind == Kind.answer,
            Contribution.is_public,
            Contribution.state == PostState.visible,
        )
        .subquery()
    )
    rows = session.execute(
        sa_select(inner)
        .where(inner.c.rank <= per_question)
        .order_by(inner.c.question_id, inner.c.rank)
    ).all()
    result: dict[int, list[PostView]] = {qid: [] for qid in question_ids}
    for row in rows:
        result[row.question_id].append(_view(row))
    return result


@dataclass(frozen=True)
class QuestionSummary:
    question: Question
    summary: StanceSummary
    latest: list[PostView]


@dataclass(frozen=True)
class ConsultationView:
    consultation: Consultation
    questions: list[QuestionSummary]
    closed_reason: str | None
    level_problem: str | None
    own: Response | None
    documents: list[tuple[str, str]]  # (title, url)
    has_outcome: bool


def consultation_view(
    session: Session, *, consultation: Consultation, viewer: User | None, now: datetime
) -> ConsultationView:
    questions = catalogue.questions_of(session, consultation)
    ids = [q.id for q in questions]
    summaries = stance_summaries(session, question_ids=ids)
    latest = latest_answers(session, question_ids=ids, per_question=2)
    own = find_response(session, consultation=consultation, user=viewer) if viewer else None
    documents = session.exec(
        select(ConsultationDocument.title, ConsultationDocument.url)
        .where(ConsultationDocument.consultation_id == consultation.id)
        .order_by(ConsultationDocument.position)
    ).all()
    published = session.exec(
        select(ConsultationOutcome.published_at).where(
            ConsultationOutcome.consultation_id == consultation.id
        )
    ).first()
    return ConsultationView(
        consultation=consultation,
        questions=[QuestionSummary(q, summaries[q.id], latest[q.id]) for q in questions],
        closed_reason=rules.closed_reason(consultation, now=now),
        level_problem=rules.level_problem(consultation, viewer.level) if viewer else None,
        own=own,
        documents=[(title, url) for title, url in documents],
        has_outcome=published is not None,
    )


@dataclass(frozen=True)
class QuestionView:
    """Everything of a question page but its list of answers, which ``answer_page`` loads
    (the web layer caches that list, keyed on ``question.feed_version``)."""

    consultation: Consultation
    question: Question
    question_count: int
    sort: AnswerSort
    page: int
    own_answer: Contribution | None
    closed_reason: str | None
    level_problem: str | None
    response: Response | None
    blocker_id: int | None = None  # set when the viewer has blocked someone


# What a question page needs to know about its viewer, in one prepared query: whether they
# blocked anyone (then the list of answers is theirs alone) and which answer is theirs.
_VIEWER_STATE = sa_select(
    moderation_blocks.blocked_subquery(bindparam("viewer_id")).exists().label("blocks"),
    sa_select(Contribution.id)
    .join(Response, Response.id == Contribution.response_id)
    .where(
        Response.consultation_id == bindparam("consultation_id"),
        Response.respondent_id == bindparam("viewer_id"),
        Contribution.question_id == bindparam("question_id"),
    )
    .limit(1)
    .scalar_subquery()
    .label("own_id"),
)


_OWN_ANSWER = (
    select(Contribution, Response)
    .join(Response, Response.id == Contribution.response_id)
    .where(Contribution.id == bindparam("own_id"))
)


def question_view(
    session: Session,
    *,
    located: catalogue.LocatedQuestion,
    viewer: User | None,
    sort: str | None,
    page: int,
    now: datetime,
) -> QuestionView:
    consultation, question = located.consultation, located.question
    try:
        chosen = AnswerSort(sort) if sort else AnswerSort.newest
    except ValueError:
        chosen = AnswerSort.newest
    own = response = None
    blocks = False
    if viewer is not None:
        blocks, own_id = session.execute(
            _VIEWER_STATE,
            {
                "viewer_id": viewer.id,
                "consultation_id": consultation.id,
                "question_id": question.id,
            },
        ).one()
        if own_id is not None:
            own, response = session.exec(_OWN_ANSWER, params={"own_id": own_id}).one()
    return QuestionView(
        consultation=consultation,
        question=question,
        question_count=located.question_count,
        sort=chosen,
        page=max(1, page),
        own_answer=own,
        blocker_id=viewer.id if blocks else None,
        closed_reason=rules.closed_reason(consultation, now=now),
        level_problem=rules.level_problem(consultation, viewer.level) if viewer else None,
        response=response,
    )


@dataclass(frozen=True)
class ThreadView:
    consultation: Consultation
    question: Question
    answer: PostView
    closed_reason: str | None


def thread_view(
    session: Session, *, answer_id: int, now: datetime, viewer_id: int | None = None
) -> ThreadView:
    """One published answer with its replies (the answer's own page)."""
    row = session.exec(
        select(*_post_columns())
        .join(User, User.id == Contribution.author_id, isouter=True)
        .where(
            Contribution.id == answer_id,
            Contribution.kind == Kind.answer,
            Contribution.is_public,
            col(Contribution.state).in_(SHOWN_STATES),
        )
    ).first()
    if row is None:
        raise NotFound("There is no such published answer.")
    answer = _view(row)
    for reply in session.exec(
        select(*_post_columns())
        .join(User, User.id == Contribution.author_id, isouter=True)
        .where(
            Contribution.parent_id == answer_id,
            col(Contribution.state).in_(SHOWN_STATES),
            _not_blocked(viewer_id),
        )
        .order_by(Contribution.created_at, Contribution.id)
    ):
        answer.replies.append(_view(reply))
    _label_removed(session, [answer])
    contribution = session.get(Contribution, answer_id)
    question = session.get(Question, contribution.question_id)
    consultation = session.get(Consultation, question.consultation_id)
    if not consultation.is_published:
        raise NotFound("There is no such published answer.")
    return ThreadView(
        consultation=consultation,
        question=question,
        answer=answer,
        closed_reason=rules.closed_reason(consultation, now=now),
    )
