"""Reading the debate: a question's answers with their replies, a consultation's summary, a
person's own response. Nothing here shows who is behind a pseudonym."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Row, bindparam, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.analysis.models import ConsultationOutcome
from app.analysis.rounding import largest_remainder_apportion, largest_remainder_percentages
from app.consultations import catalogue, rules
from app.consultations.models import Consultation, ConsultationDocument, Question, Stance
from app.participation import search, statements
from app.participation.feed import (
    PostView,
    ReplyPage,
    complete_threads,
    not_blocked,
    post_select,
    post_view,
    reply_page,
)
from app.participation.models import Contribution, Kind, PostState, Response
from app.participation.search import NO_FILTER, AnswerFilter
from app.participation.statements import AnswerSort
from kernel import i18n, paging
from kernel.errors import NotFound
from kernel.reads import columns
from moderation import blocks as moderation_blocks


@dataclass(frozen=True)
class StanceSummary:
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def items(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.counts.get(s.value, 0)) for s in Stance]

    def legend(self) -> list[tuple[str, str, int, int]]:
        """(stance, label, count, whole percentage), the percentages adding up to 100."""
        items = self.items()
        shares = largest_remainder_percentages([n for _, _, n in items])
        return [(v, label, n, pct) for (v, label, n), pct in zip(items, shares, strict=True)]

    def segments(self, width: int) -> list[tuple[str, str, int, int, int]]:
        """(stance, label, count, x, width) of each stance with answers: whole units of
        ``width`` that add up to it exactly, so the bar has no gap and never overflows."""
        items = self.items()
        widths = largest_remainder_apportion([n for _, _, n in items], units=width)
        segments, x = [], 0
        for (value, label, count), w in zip(items, widths, strict=True):
            if w:
                segments.append((value, label, count, x, w))
                x += w
        return segments


@dataclass(frozen=True)
class AnswerPage:
    answers: list[PostView]
    summary: StanceSummary
    page: int
    pages: int
    sort: AnswerSort
    chosen: AnswerFilter = NO_FILTER
    matched: int | None = None  # how many answers the filter found (None: no filter)


def stance_summary(session: Session, *, question_id: int) -> StanceSummary:
    summary, _removed = _counts(session, question_id=question_id)
    return summary


def _counts(session: Session, *, question_id: int) -> tuple[StanceSummary, int]:
    """The stance summary of a question's published answers and how many of them were removed
    (shown as markers), in one query read from ``ix_contribution_question_stance`` alone."""
    counts: dict[str, int] = {}
    removed = 0
    for state, stance, n in columns(
        session, statements.STANCE_COUNTS, {"question_id": question_id}
    ):
        if state == PostState.removed:
            removed += n
        elif stance:  # always, for a published answer
            counts[stance] = n
    return StanceSummary(counts=counts), removed


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
        .group_by(col(Contribution.question_id), col(Contribution.stance))
    ).all()
    counts: dict[int, dict[str, int]] = {qid: {} for qid in question_ids}
    for question_id, stance, n in rows:
        if stance:  # always, for a published answer (as in ``stance_summary``)
            counts[question_id][stance] = n
    return {qid: StanceSummary(counts=c) for qid, c in counts.items()}


def answer_page(
    session: Session,
    *,
    question: Question,
    sort: AnswerSort,
    page: int,
    per_page: int,
    blocker_id: int | None = None,
    chosen: AnswerFilter = NO_FILTER,
    needs_thread: Callable[[PostView], bool] | None = None,
) -> AnswerPage:
    """Published answers of a question, one page of them, with their replies: 4 queries (the
    counts, the page, its first replies and their numbers), 5 with a filter (words and a
    stance: then only published answers that match, counted), and one for the labels of any
    removed posts among them.

    ``blocker_id``: leave out the posts of everyone this participant blocked.
    ``needs_thread``: read the replies only of the answers it is true of (a caller that has the
    others' cards rendered already, checked against their ``thread_version``); the others come
    without replies and with ``shown_replies`` 0. No replies are read when it is false of all.
    """
    assert question.id is not None, "a stored question"
    summary, removed = _counts(session, question_id=question.id)
    if not chosen.active:
        shown_total = summary.total + removed
        page, pages = paging.clamp(page, total=shown_total, per_page=per_page)
        params = {
            "question_id": question.id,
            "viewer_id": blocker_id,
            "limit": per_page,
            "offset": (page - 1) * per_page,
        }
        statement = statements.answer_rows(sort, blocked=blocker_id is not None)
        rows = columns(session, statement, params).all()
        matched = None
    else:
        rows, matched, page, pages = _filtered_rows(
            session,
            question_id=question.id,
            sort=sort,
            page=page,
            per_page=per_page,
            blocker_id=blocker_id,
            chosen=chosen,
        )
    answers = [post_view(row) for row in rows]
    threads = answers if needs_thread is None else [a for a in answers if needs_thread(a)]
    if threads:
        complete_threads(session, threads, viewer_id=blocker_id)
    return AnswerPage(
        answers=answers,
        summary=summary,
        page=page,
        pages=pages,
        sort=sort,
        chosen=chosen,
        matched=matched,
    )


def _filtered_rows(
    session: Session,
    *,
    question_id: int,
    sort: AnswerSort,
    page: int,
    per_page: int,
    blocker_id: int | None,
    chosen: AnswerFilter,
) -> tuple[list[Row[Any]], int, int, int]:
    """A page of the published answers that match ``chosen`` (words, a stance), how many match,
    and the page and number of pages."""
    mine = [
        col(Contribution.question_id) == question_id,
        col(Contribution.kind) == Kind.answer,
        col(Contribution.is_public),
        col(Contribution.state) == PostState.visible,
        *search.conditions(session, chosen),
        not_blocked(blocker_id),
    ]
    matched = session.exec(select(func.count()).select_from(Contribution).where(*mine)).one()
    page, pages = paging.clamp(page, total=matched, per_page=per_page)
    statement = statements.ordered(post_select().where(*mine), sort)
    rows = columns(session, statement.limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), matched, page, pages


def find_response(session: Session, *, consultation: Consultation, user: User) -> Response | None:
    return session.exec(
        select(Response).where(
            Response.consultation_id == consultation.id, Response.respondent_id == user.id
        )
    ).first()


def get_contribution(session: Session, contribution_id: int) -> Contribution:
    contribution = session.get(Contribution, contribution_id)
    if contribution is None:
        raise NotFound(i18n._("There is no such post."))
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
        answers=[
            OwnAnswer(q, by_question.get(qid))
            for q, qid in zip(questions, catalogue.question_ids(questions), strict=True)
        ],
        closed_reason=rules.closed_reason(consultation, now=now),
    )


def latest_answers(
    session: Session, *, question_ids: list[int], per_question: int
) -> dict[int, list[PostView]]:
    """The newest few published answers of each question, in one query: a short walk down
    ``ix_contribution_question_feed`` per question, joined by UNION ALL (a window over every
    answer of the consultation would read them all)."""
    if not question_ids:
        return {}
    values = {f"question_{n}": question_id for n, question_id in enumerate(question_ids)}
    values["per_question"] = per_question
    rows = columns(session, statements.latest_statement(len(question_ids)), values).all()
    result: dict[int, list[PostView]] = {qid: [] for qid in question_ids}
    for row in sorted(rows, key=lambda row: (row.created_at, row.id), reverse=True):
        result[row.question_id].append(post_view(row))
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
    deadline: str  # "Closes in 12 days, on 15 January 2027 at 23:59."
    answered: frozenset[int]  # the positions of the questions the viewer has answered

    @property
    def next_question(self) -> int | None:
        """Where "Respond" takes the viewer: the first question they have not answered."""
        for item in self.questions:
            if item.question.position not in self.answered:
                return item.question.position
        return None


def consultation_view(
    session: Session, *, consultation: Consultation, viewer: User | None, now: datetime
) -> ConsultationView:
    questions = catalogue.questions_of(session, consultation)
    ids = catalogue.question_ids(questions)
    summaries = stance_summaries(session, question_ids=ids)
    latest = latest_answers(session, question_ids=ids, per_question=2)
    own = find_response(session, consultation=consultation, user=viewer) if viewer else None
    documents = session.exec(
        select(ConsultationDocument.title, ConsultationDocument.url)
        .where(ConsultationDocument.consultation_id == consultation.id)
        .order_by(col(ConsultationDocument.position))
    ).all()
    published = session.exec(
        select(ConsultationOutcome.published_at).where(
            ConsultationOutcome.consultation_id == consultation.id
        )
    ).first()
    return ConsultationView(
        consultation=consultation,
        questions=[
            QuestionSummary(q, summaries[qid], latest[qid])
            for q, qid in zip(questions, ids, strict=True)
        ],
        closed_reason=rules.closed_reason(consultation, now=now),
        level_problem=rules.level_problem(consultation, viewer.level) if viewer else None,
        own=own,
        documents=[(title, url) for title, url in documents],
        has_outcome=published is not None,
        deadline=rules.deadline(consultation, now=now),
        answered=_answered_positions(session, own),
    )


def _answered_positions(session: Session, response: Response | None) -> frozenset[int]:
    if response is None:
        return frozenset()
    positions = session.exec(
        select(Question.position)
        .join(Contribution, col(Contribution.question_id) == col(Question.id))
        .where(
            Contribution.response_id == response.id,
            col(Contribution.state) != PostState.deleted,
        )
    ).all()
    return frozenset(positions)


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
    chosen: AnswerFilter = NO_FILTER  # words and a stance the answers are narrowed to


# What a question page needs to know about its viewer, in one prepared query: whether they
# blocked anyone (then the list of answers is theirs alone) and which answer is theirs.
_VIEWER_STATE = sa_select(
    moderation_blocks.blocked_subquery(bindparam("viewer_id", type_=Integer))
    .exists()
    .label("blocks"),
    sa_select(col(Contribution.id))
    .join(Response, col(Response.id) == col(Contribution.response_id))
    .where(
        col(Response.consultation_id) == bindparam("consultation_id"),
        col(Response.respondent_id) == bindparam("viewer_id"),
        col(Contribution.question_id) == bindparam("question_id"),
    )
    .limit(1)
    .scalar_subquery()
    .label("own_id"),
)


_OWN_ANSWER = (
    select(Contribution, Response)
    .join(Response, col(Response.id) == col(Contribution.response_id))
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
    filtered: AnswerFilter = NO_FILTER,
) -> QuestionView:
    consultation, question = located.consultation, located.question
    try:
        chosen = AnswerSort(sort) if sort else AnswerSort.newest
    except ValueError:
        chosen = AnswerSort.newest
    own = response = None
    blocker_id = None
    if viewer is not None:
        blocks, own_id = columns(
            session,
            _VIEWER_STATE,
            {
                "viewer_id": viewer.id,
                "consultation_id": consultation.id,
                "question_id": question.id,
            },
        ).one()
        if own_id is not None:
            own, response = session.exec(_OWN_ANSWER, params={"own_id": own_id}).one()
        if blocks:
            blocker_id = viewer.id
    return QuestionView(
        consultation=consultation,
        question=question,
        question_count=located.question_count,
        sort=chosen,
        page=max(1, page),
        own_answer=own,
        blocker_id=blocker_id,
        closed_reason=rules.closed_reason(consultation, now=now),
        level_problem=rules.level_problem(consultation, viewer.level) if viewer else None,
        response=response,
        chosen=filtered,
    )


@dataclass(frozen=True)
class ThreadView:
    consultation: Consultation
    question: Question
    answer: PostView
    closed_reason: str | None
    replies: ReplyPage


def thread_view(
    session: Session,
    *,
    answer_id: int,
    now: datetime,
    viewer_id: int | None = None,
    page: int = 1,
) -> ThreadView:
    """One published answer with one page of its replies (the answer's own page)."""
    row = columns(session, statements.THREAD_ANSWER, {"answer_id": answer_id}).first()
    if row is None:
        raise NotFound(i18n._("There is no such published answer."))
    place = session.execute(statements.THREAD_PLACE, {"question_id": row.question_id}).first()
    if place is None or not place[1].is_published:
        raise NotFound(i18n._("There is no such published answer."))
    question, consultation = place
    answer = post_view(row)
    replies = reply_page(session, answer, viewer_id=viewer_id, page=page)
    return ThreadView(
        consultation=consultation,
        question=question,
        answer=answer,
        closed_reason=rules.closed_reason(consultation, now=now),
        replies=replies,
    )
