"""The statements the debate's pages run on every request that is not served from a cache,
each built once (building a SQLAlchemy statement costs more than running it): the values are
bound when they run. ``AnswerSort`` lives here as the order they sort by."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import CompoundSelect, Integer, Select, bindparam, func, true, union_all
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from app.consultations.models import Consultation, Question
from app.participation.feed import not_blocked, post_select, shown
from app.participation.models import Contribution, Kind, PostState


class AnswerSort(StrEnum):
    newest = "newest"
    most_replied = "most_replied"


# Built once: every question page that is not served from the cache runs it.
STANCE_COUNTS = (
    select(col(Contribution.state), col(Contribution.stance), func.count())
    .where(
        col(Contribution.question_id) == bindparam("question_id"),
        col(Contribution.kind) == Kind.answer,
        col(Contribution.is_public),
        shown(),
    )
    .group_by(col(Contribution.state), col(Contribution.stance))
)


def ordered(statement: Select[Any], sort: AnswerSort) -> Select[Any]:
    if sort is AnswerSort.most_replied:
        return statement.order_by(col(Contribution.reply_count).desc(), col(Contribution.id).desc())
    return statement.order_by(col(Contribution.created_at).desc(), col(Contribution.id).desc())


@lru_cache(maxsize=8)
def answer_rows(sort: AnswerSort, *, blocked: bool) -> Select[Any]:
    """One page of a question's shown answers in ``sort`` order (bound: ``question_id``,
    ``viewer_id`` when ``blocked``, ``limit``, ``offset``), built once for each shape."""
    return ordered(
        post_select()
        .where(
            col(Contribution.question_id) == bindparam("question_id"),
            col(Contribution.kind) == Kind.answer,
            col(Contribution.is_public),
            shown(),
            not_blocked(bindparam("viewer_id")) if blocked else true(),
        )
        .limit(bindparam("limit"))
        .offset(bindparam("offset")),
        sort,
    )


@lru_cache(maxsize=32)
def latest_statement(questions: int) -> CompoundSelect[Any]:
    """``latest_answers``' statement for this many questions, built once (building it costs
    more than running it); the question ids and the limit are bound when it runs."""
    newest = [
        post_select(col(Contribution.question_id))
        .where(
            col(Contribution.question_id) == bindparam(f"question_{n}", type_=Integer),
            col(Contribution.kind) == Kind.answer,
            col(Contribution.is_public),
            col(Contribution.state) == PostState.visible,
        )
        .order_by(col(Contribution.created_at).desc(), col(Contribution.id).desc())
        .limit(bindparam("per_question", type_=Integer))
        .subquery()
        for n in range(questions)
    ]
    return union_all(*(sa_select(part) for part in newest))


# Built once: every answer's page runs them.
THREAD_ANSWER = post_select(col(Contribution.question_id)).where(
    col(Contribution.id) == bindparam("answer_id"),
    col(Contribution.kind) == Kind.answer,
    col(Contribution.is_public),
    shown(),
)
THREAD_PLACE = (
    select(Question, Consultation)
    .join(Consultation, col(Consultation.id) == col(Question.consultation_id))
    .where(col(Question.id) == bindparam("question_id"))
)
