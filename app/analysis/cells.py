"""Traceability: the answers behind one cell of Annex A, a page at a time, with who gave each
(a pseudonym, an organisation or an imported reference) and how it was counted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    case,
    exists,
    func,
    literal,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.accounts.models import User
from app.analysis.models import ImportedResponse
from app.analysis.tallies import (
    CATEGORIES,
    SPLIT_GROUPS,
    Split,
    answer_filter,
    group_key,
    stance_in,
)
from app.consultations.models import Consultation, Question
from app.participation.models import Contribution, Kind, PostState, Response
from kernel import i18n, paging
from kernel.errors import NotFound

__all__ = [
    "CellAnswer",
    "CellPage",
    "cell_answers",
    "effective_evaluation",
    "respondent_label",
    "with_respondent",
]
_SelectT = TypeVar("_SelectT", bound=Select[*tuple[Any, ...]])


def effective_evaluation() -> ColumnElement[str]:
    """SQL for an answer's Annex A category: its coded evaluation, else its declared stance."""
    return case(
        (col(Contribution.evaluation).is_not(None), col(Contribution.evaluation)),
        (stance_in("positive"), "positive"),
        (stance_in("negative"), "negative"),
        (stance_in("neutral"), "neutral"),
        else_="unevaluated",
    )


@dataclass(frozen=True)
class CellAnswer:
    """One answer (or, for "no response", one respondent) behind a cell: never an identity."""

    response_id: int
    contribution_id: int | None
    respondent: str
    stance: str | None
    evaluation: str | None
    source: str  # "coded", "declared", "none" or "no_response"
    excerpt: str
    state: str | None
    is_public: bool


@dataclass(frozen=True)
class CellPage:
    question: Question
    category: str
    group: str
    split: Split
    total: int
    page: int
    pages: int
    items: list[CellAnswer]


def respondent_label() -> ColumnElement[str]:
    """The pseudonym, or for an imported response its reference (``with_respondent`` joins
    what it reads)."""
    return func.coalesce(
        col(User.pseudonym),
        literal("Imported ") + col(ImportedResponse.reference),
        literal("Respondent"),
    )


def with_respondent(query: _SelectT) -> _SelectT:
    """Join to a query of responses the rows that ``respondent_label`` reads (outer joins)."""
    return query.outerjoin(User, col(User.id) == col(Response.respondent_id)).outerjoin(
        ImportedResponse, col(ImportedResponse.response_id) == col(Response.id)
    )


def _excerpt(text: str | None, state: str | None) -> str:
    if state == PostState.removed:
        return "[Removed by moderators: counted, not shown]"
    text = " ".join((text or "").split())
    return text if len(text) <= 240 else text[:239] + "…"


def _silent_respondent(row: Row[*tuple[Any, ...]]) -> CellAnswer:
    return CellAnswer(
        response_id=row.response_id,
        contribution_id=None,
        respondent=row.respondent,
        stance=None,
        evaluation=None,
        source="no_response",
        excerpt="",
        state=None,
        is_public=True,
    )


def _counted_answer(category: str, row: Row[*tuple[Any, ...]]) -> CellAnswer:
    return CellAnswer(
        response_id=row.response_id,
        contribution_id=row.id,
        respondent=row.respondent,
        stance=row.stance,
        evaluation=row.evaluation or (category if row.stance else None),
        source="coded" if row.evaluation else ("declared" if row.stance else "none"),
        excerpt=_excerpt(row.source_text, row.state),
        state=row.state,
        is_public=row.is_public,
    )


def cell_answers(
    session: Session,
    *,
    consultation: Consultation,
    question: Question,
    category: str,
    split: Split = Split.all,
    group: str = "all",
    page: int = 1,
    per_page: int = 50,
) -> CellPage:
    """The answers (or the silent respondents) counted in one cell of Annex A, a page of them."""
    if category not in CATEGORIES:
        raise NotFound(i18n._("There is no such column in Annex A."))
    if group not in {g for g, _ in SPLIT_GROUPS[split]}:
        raise NotFound(i18n._("There is no such group in this split."))
    assert consultation.id is not None, "a stored consultation"
    assert question.id is not None, "a stored question"
    key = group_key(split, consultation.id)
    in_group = [] if split is Split.all else [key == group]
    label = respondent_label()
    base: Select[*tuple[Any, ...]]
    to_item: Callable[[Row[*tuple[Any, ...]]], CellAnswer]
    if category == "no_response":
        answered = exists().where(
            col(Contribution.response_id) == col(Response.id),
            col(Contribution.question_id) == question.id,
            col(Contribution.kind) == Kind.answer,
            col(Contribution.state) != PostState.deleted,
        )
        base = with_respondent(
            sa_select(col(Response.id).label("response_id"), label.label("respondent")).select_from(
                Response
            )
        ).where(col(Response.consultation_id) == consultation.id, ~answered, *in_group)
        order, to_item = col(Response.id), _silent_respondent
    else:
        base = with_respondent(
            sa_select(
                col(Contribution.id),
                col(Contribution.response_id),
                col(Contribution.stance),
                col(Contribution.source_text),
                col(Contribution.state),
                col(Contribution.is_public),
                col(Contribution.evaluation),
                label.label("respondent"),
            )
            .select_from(Contribution)
            .join(Response, col(Response.id) == col(Contribution.response_id))
        ).where(*answer_filter([question.id]), effective_evaluation() == category, *in_group)
        order, to_item = col(Contribution.id), partial(_counted_answer, category)
    total = session.execute(sa_select(func.count()).select_from(base.subquery())).scalar_one()
    page, pages = paging.clamp(page, total=total, per_page=per_page)
    rows = session.execute(base.order_by(order).limit(per_page).offset((page - 1) * per_page)).all()
    return CellPage(
        question=question,
        category=category,
        group=group,
        split=split,
        total=total,
        page=page,
        pages=pages,
        items=[to_item(row) for row in rows],
    )
