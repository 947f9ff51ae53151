"""Traceability: the answers behind one cell of Annex A, a page at a time, with who gave each
(a pseudonym, an organisation or an imported reference) and how it was counted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    case,
    exists,
    func,
    literal,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.accounts.models import User
from app.analysis.models import ImportedResponse
from app.consultations.models import Consultation, Question
from app.participation.models import Contribution, Kind, PostState, Response
from kernel.errors import NotFound

__all__ = ["CellAnswer", "CellPage", "cell_answers", "effective_evaluation", "respondent_label"]
from app.analysis.tallies import (
    CATEGORIES,
    SPLIT_GROUPS,
    Split,
    answer_filter,
    group_key,
    stance_in,
)


def effective_evaluation() -> ColumnElement[str]:
    """SQL for an answer's Annex A category: its coded evaluation, else its declared stance."""
    return case(
        (col(Contribution.evaluation).is_not(None), Contribution.evaluation),
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
    """The pseudonym, or for an imported response its reference (needs both outer joins)."""
    return func.coalesce(
        User.pseudonym, literal("Imported ") + ImportedResponse.reference, literal("Respondent")
    )


def _excerpt(text: str | None, state: str | None) -> str:
    if state == PostState.removed:
        return "[Removed by moderators: counted, not shown]"
    text = " ".join((text or "").split())
    return text if len(text) <= 240 else text[:239] + "…"


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
        raise NotFound("There is no such column in Annex A.")
    if group not in {g for g, _ in SPLIT_GROUPS[split]}:
        raise NotFound("There is no such group in this split.")
    key = group_key(split, consultation.id)
    in_group = [] if split is Split.all else [key == group]
    label = respondent_label()
    if category == "no_response":
        answered = exists().where(
            Contribution.response_id == Response.id,
            Contribution.question_id == question.id,
            Contribution.kind == Kind.answer,
            Contribution.state != PostState.deleted,
        )
        base = (
            sa_select(Response.id.label("response_id"), label.label("respondent"))
            .select_from(Response)
            .outerjoin(User, col(User.id) == Response.respondent_id)
            .outerjoin(ImportedResponse, col(ImportedResponse.response_id) == Response.id)
            .where(Response.consultation_id == consultation.id, ~answered, *in_group)
        )
        total = session.execute(sa_select(func.count()).select_from(base.subquery())).scalar_one()
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        rows = session.execute(
            base.order_by(Response.id).limit(per_page).offset((page - 1) * per_page)
        ).all()
        items = [
            CellAnswer(
                response_id=r.response_id,
                contribution_id=None,
                respondent=r.respondent,
                stance=None,
                evaluation=None,
                source="no_response",
                excerpt="",
                state=None,
                is_public=True,
            )
            for r in rows
        ]
        return CellPage(
            question=question,
            category=category,
            group=group,
            split=split,
            total=total,
            page=page,
            pages=pages,
            items=items,
        )
    evaluation = effective_evaluation()
    base = (
        sa_select(
            Contribution.id,
            Contribution.response_id,
            Contribution.stance,
            Contribution.source_text,
            Contribution.state,
            Contribution.is_public,
            Contribution.evaluation,
            label.label("respondent"),
        )
        .select_from(Contribution)
        .join(Response, col(Response.id) == Contribution.response_id)
        .outerjoin(User, col(User.id) == Response.respondent_id)
        .outerjoin(ImportedResponse, col(ImportedResponse.response_id) == Response.id)
        .where(*answer_filter([question.id]), evaluation == category, *in_group)
    )
    total = session.execute(sa_select(func.count()).select_from(base.subquery())).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = session.execute(
        base.order_by(Contribution.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    items = [
        CellAnswer(
            response_id=r.response_id,
            contribution_id=r.id,
            respondent=r.respondent,
            stance=r.stance,
            evaluation=r.evaluation or (category if r.stance else None),
            source="coded" if r.evaluation else ("declared" if r.stance else "none"),
            excerpt=_excerpt(r.source_text, r.state),
            state=r.state,
            is_public=r.is_public,
        )
        for r in rows
    ]
    return CellPage(
        question=question,
        category=category,
        group=group,
        split=split,
        total=total,
        page=page,
        pages=pages,
        items=items,
    )
