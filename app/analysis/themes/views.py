"""Reading themes: the review page of one question, the accepted themes of the summary of
responses, and the suggestions as the CLI prints them.

Quotations come only from answers their authors published: the answer and its response public,
visible (not held, hidden, removed or deleted), given on the site by an account (never an
imported letter or e-mail, which are private to the organisers).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.analysis.cells import respondent_label, with_respondent
from app.analysis.models import (
    AnswerTag,
    CodebookTag,
    ImportedResponse,
    SuggestionState,
    ThemeAnswer,
    ThemeRun,
    ThemeSuggestion,
)
from app.analysis.tallies import answer_filter
from app.analysis.themes import runs
from app.consultations.models import Consultation, Question
from app.participation.models import Contribution, PostState, Response

QUOTATIONS = 3
SHOWN_ANSWERS = 30


def published() -> list[ColumnElement[bool]]:
    """Answers that may be quoted (see the module docstring); needs Response joined."""
    return [
        col(Contribution.is_public).is_(True),
        col(Response.is_public).is_(True),
        col(Contribution.state) == PostState.visible,
        col(Response.respondent_id).is_not(None),
        col(Response.channel) == "web",
        ~sa_select(col(ImportedResponse.response_id))
        .where(col(ImportedResponse.response_id) == col(Response.id))
        .exists(),
    ]


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class ThemeAnswerLine:
    id: int
    respondent: str
    excerpt: str
    is_public: bool


@dataclass(frozen=True)
class ThemeCard:
    id: int
    state: str
    label: str
    phrases: list[str]
    size: int
    version: int
    quotations: list[str]
    answers: list[ThemeAnswerLine]

    @property
    def more(self) -> int:
        return self.size - len(self.answers)


@dataclass(frozen=True)
class ThemePage:
    consultation: Consultation
    question: Question
    questions: list[Question]
    answered: int
    run: ThemeRun | None
    accepted: list[ThemeCard]
    suggested: list[ThemeCard]
    other: ThemeCard | None

    @property
    def active(self) -> bool:
        return self.run is not None and self.run.state in ("queued", "running")

    @property
    def percent(self) -> int:
        run = self.run
        if run is None or not run.total:
            return 0
        return min(100, run.processed * 100 // run.total)

    @property
    def targets(self) -> list[ThemeCard]:
        return self.accepted + self.suggested


def quotations(
    session: Session, suggestion_ids: Sequence[int], *, limit: int = QUOTATIONS
) -> dict[int, list[str]]:
    """Up to ``limit`` quotations per theme, the most typical published answers first (an
    accepted theme's answer must still carry its tag)."""
    result: dict[int, list[str]] = {i: [] for i in suggestion_ids}
    if not suggestion_ids:
        return result
    ranked = (
        sa_select(
            col(ThemeAnswer.suggestion_id).label("sid"),
            col(Contribution.source_text).label("text"),
            func.row_number()
            .over(
                partition_by=col(ThemeAnswer.suggestion_id),
                order_by=(col(ThemeAnswer.rank), col(Contribution.id)),
            )
            .label("n"),
        )
        .join(Contribution, col(Contribution.id) == col(ThemeAnswer.contribution_id))
        .join(Response, col(Response.id) == col(Contribution.response_id))
        .join(ThemeSuggestion, col(ThemeSuggestion.id) == col(ThemeAnswer.suggestion_id))
        .outerjoin(
            AnswerTag,
            and_(
                col(AnswerTag.contribution_id) == col(Contribution.id),
                col(AnswerTag.tag_id) == col(ThemeSuggestion.tag_id),
            ),
        )
        .where(
            col(ThemeAnswer.suggestion_id).in_(suggestion_ids),
            *published(),
            (col(ThemeSuggestion.tag_id).is_(None)) | (col(AnswerTag.tag_id).is_not(None)),
        )
        .subquery()
    )
    rows = session.execute(
        sa_select(ranked.c.sid, ranked.c.text)
        .where(ranked.c.n <= limit)
        .order_by(ranked.c.sid, ranked.c.n)
    )
    for sid, text in rows:
        result[sid].append(_excerpt(text))
    return result


def _sizes(session: Session, ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        session.execute(
            sa_select(col(ThemeAnswer.suggestion_id), func.count())
            .where(col(ThemeAnswer.suggestion_id).in_(ids))
            .group_by(col(ThemeAnswer.suggestion_id))
        ).all()
    )


def _answers(
    session: Session, suggestion_ids: Sequence[int], limit: int
) -> dict[int, list[ThemeAnswerLine]]:
    """The ``limit`` most typical answers of each theme, in one query."""
    result: dict[int, list[ThemeAnswerLine]] = {i: [] for i in suggestion_ids}
    if not suggestion_ids:
        return result
    ranked = (
        with_respondent(
            sa_select(
                col(ThemeAnswer.suggestion_id).label("sid"),
                col(Contribution.id).label("id"),
                col(Contribution.source_text).label("text"),
                col(Contribution.state).label("state"),
                col(Contribution.is_public).label("is_public"),
                respondent_label().label("respondent"),
                func.row_number()
                .over(
                    partition_by=col(ThemeAnswer.suggestion_id),
                    order_by=(col(ThemeAnswer.rank), col(Contribution.id)),
                )
                .label("n"),
            )
            .select_from(ThemeAnswer)
            .join(Contribution, col(Contribution.id) == col(ThemeAnswer.contribution_id))
            .join(Response, col(Response.id) == col(Contribution.response_id))
        )
        .where(col(ThemeAnswer.suggestion_id).in_(suggestion_ids))
        .subquery()
    )
    rows = session.execute(
        sa_select(ranked).where(ranked.c.n <= limit).order_by(ranked.c.sid, ranked.c.n)
    )
    for r in rows:
        removed = r.state == PostState.removed
        result[r.sid].append(
            ThemeAnswerLine(
                id=r.id,
                respondent=r.respondent,
                excerpt="[Removed by moderators]" if removed else _excerpt(r.text),
                is_public=r.is_public,
            )
        )
    return result


def _cards(session: Session, rows: list[ThemeSuggestion], *, shown: int) -> list[ThemeCard]:
    ids = [r.id for r in rows if r.id is not None]
    sizes = _sizes(session, ids)
    quotes = quotations(session, ids)
    answers = _answers(session, ids, shown)
    return [
        ThemeCard(
            id=r.id,
            state=r.state,
            label=r.label,
            phrases=list(json.loads(r.phrases or "[]")),
            size=sizes.get(r.id, 0),
            version=r.version,
            quotations=quotes.get(r.id, []) if r.state != SuggestionState.other else [],
            answers=answers.get(r.id, []),
        )
        for r in rows
        if r.id is not None
    ]


def theme_page(
    session: Session,
    *,
    consultation: Consultation,
    question: Question,
    questions: list[Question],
    shown: int = SHOWN_ANSWERS,
) -> ThemePage:
    rows = list(
        session.exec(
            select(ThemeSuggestion)
            .where(ThemeSuggestion.question_id == question.id)
            .order_by(col(ThemeSuggestion.position), col(ThemeSuggestion.id))
        )
    )
    cards = _cards(session, rows, shown=shown)
    accepted = sorted(
        (c for c in cards if c.state == SuggestionState.accepted), key=lambda c: (-c.size, c.id)
    )
    return ThemePage(
        consultation=consultation,
        question=question,
        questions=questions,
        answered=runs.answer_count(session, question=question),
        run=runs.latest_run(session, question=question),
        accepted=accepted,
        suggested=[c for c in cards if c.state == SuggestionState.suggested],
        other=next((c for c in cards if c.state == SuggestionState.other), None),
    )


# The summary of responses -------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptedTheme:
    label: str
    answers: int
    share: int  # percentage of the question's answers
    quotation: str | None


def accepted_themes(
    session: Session, *, question_ids: Sequence[int], answered: dict[int, int]
) -> dict[int, list[AcceptedTheme]]:
    """Per question, its accepted themes, largest first: how many of its answers carry the
    theme's tag (every campaign copy counts), their share of the answers, one quotation."""
    result: dict[int, list[AcceptedTheme]] = {q: [] for q in question_ids}
    if not question_ids:
        return result
    counted = session.execute(
        sa_select(
            col(CodebookTag.question_id),
            col(CodebookTag.id),
            col(CodebookTag.label),
            func.count(col(Contribution.id)),
        )
        .join(AnswerTag, col(AnswerTag.tag_id) == col(CodebookTag.id))
        .join(Contribution, col(Contribution.id) == col(AnswerTag.contribution_id))
        .where(
            col(CodebookTag.question_id).in_(question_ids),
            *answer_filter(list(question_ids)),
        )
        .group_by(col(CodebookTag.question_id), col(CodebookTag.id), col(CodebookTag.label))
    ).all()
    suggestion_of = dict(
        session.execute(
            sa_select(col(ThemeSuggestion.tag_id), col(ThemeSuggestion.id)).where(
                col(ThemeSuggestion.question_id).in_(question_ids),
                col(ThemeSuggestion.tag_id).is_not(None),
            )
        ).all()
    )
    quotes = quotations(session, list(suggestion_of.values()), limit=1)
    for question_id, tag_id, label, n in counted:
        total = answered.get(question_id, 0)
        share = round(100 * n / total) if total else 0
        quote = quotes.get(suggestion_of.get(tag_id, -1), [])
        result[question_id].append(AcceptedTheme(label, int(n), share, quote[0] if quote else None))
    for themes in result.values():
        themes.sort(key=lambda t: (-t.answers, t.label.casefold()))
    return result


# The CLI's JSON ------------------------------------------------------------------------------


def _members(session: Session, suggestion_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        sa_select(col(ThemeAnswer.contribution_id), col(ImportedResponse.reference))
        .join(Contribution, col(Contribution.id) == col(ThemeAnswer.contribution_id))
        .outerjoin(
            ImportedResponse, col(ImportedResponse.response_id) == col(Contribution.response_id)
        )
        .where(col(ThemeAnswer.suggestion_id) == suggestion_id)
        .order_by(col(ThemeAnswer.rank), col(ThemeAnswer.contribution_id))
    )
    return [{"id": answer_id, "reference": reference} for answer_id, reference in rows]


def suggestions_json(session: Session, *, questions: Sequence[Question]) -> dict[str, Any]:
    """The suggestions (not yet accepted or rejected) of ``questions``, in the CLI's shape."""
    out = []
    for question in questions:
        rows = list(
            session.exec(
                select(ThemeSuggestion)
                .where(
                    ThemeSuggestion.question_id == question.id,
                    col(ThemeSuggestion.state).in_(
                        [SuggestionState.suggested, SuggestionState.other]
                    ),
                )
                .order_by(col(ThemeSuggestion.position), col(ThemeSuggestion.id))
            )
        )
        themes = [
            {
                "label": r.label,
                "phrases": list(json.loads(r.phrases or "[]")),
                "answers": _members(session, r.id or 0),
            }
            for r in rows
            if r.state == SuggestionState.suggested
        ]
        other = next((r for r in rows if r.state == SuggestionState.other), None)
        out.append(
            {
                "number": question.position,
                "themes": themes,
                "other": _members(session, other.id or 0) if other else [],
            }
        )
    return {"questions": out}
