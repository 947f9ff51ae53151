"""Annex A: per question, how many respondents were positive, negative, neutral or silent.

Definitions (the same in the pages, the exports and the tests):

- **Respondents** of a consultation are its ``response`` rows: everyone who answered at least
  one question on the site, and every imported off-site response. Private responses count
  (their texts are never shown); so do late ones.
- An **answer** is a contribution of kind ``answer`` in any state but ``deleted`` (deleted by its
  author = withdrawn). Answers removed by moderators still count (the summary footnotes how
  many); so do held and hidden ones.
- The **evaluation** of an answer is the analyst's coding when there is one; otherwise its
  declared stance: agree → positive, disagree → negative, neutral or not sure → neutral. An
  answer with neither (an imported letter not yet coded) is **not yet evaluated**.
- **No response** to a question = respondents − answers to it, so every row adds up to the
  number of respondents; percentages are of all respondents, by the largest-remainder method
  (``app.analysis.rounding``), in the column order positive, negative, neutral, not yet
  evaluated, no response — which is also the tie order.

Everything is counted by the database in one statement: a grouped scan of the
``ix_contribution_tally`` index (question, kind, state, stance, evaluation, visibility), mapped
to the categories with ``CASE``. The coded evaluation is kept on the answer
(``contribution.evaluation``) by ``app.analysis.coding`` for exactly this reason. Python only
turns the few grouped rows into objects.

Splits: ``all``; ``respondent_type`` (individual / organisation); ``verification`` (the account's
current level: none / email / identity; imported responses have no account and form their own
group, ``imported``); ``campaign`` (respondents with at least one answer in a campaign group, and
the others).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    SQLColumnExpression,
    and_,
    case,
    exists,
    func,
    literal,
    true,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.accounts.models import User
from app.analysis.models import TALLY_INDEX_COLUMNS, CampaignMember
from app.analysis.rounding import largest_remainder_percentages
from app.consultations import catalogue
from app.consultations.models import Consultation, Question
from app.participation.models import Contribution, Kind, PostState, Response
from kernel import i18n

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "AnnexA",
    "Split",
    "TallyRow",
    "TallyTable",
    "annex_a",
]


class Split(StrEnum):
    all = "all"
    respondent_type = "respondent_type"
    verification = "verification"
    campaign = "campaign"

    @property
    def label(self) -> str:
        return SPLIT_LABELS[self]


SPLIT_LABELS = i18n.Labels(
    {
        Split.all: i18n.N_("All responses"),
        Split.respondent_type: i18n.N_("Individuals and organisations"),
        Split.verification: i18n.N_("E-mail-verified and identity-verified"),
        Split.campaign: i18n.N_("Campaign and non-campaign"),
    }
)

SPLIT_GROUPS: dict[Split, tuple[tuple[str, str], ...]] = {
    Split.all: (("all", "All responses"),),
    Split.respondent_type: (("individual", "Individuals"), ("organisation", "Organisations")),
    Split.verification: (
        ("identity", "Identity-verified"),
        ("email", "E-mail-verified"),
        ("none", "Not verified"),
        ("imported", "Received by e-mail or post"),
    ),
    Split.campaign: (
        ("campaign", "Part of a campaign"),
        ("not_campaign", "Not part of a campaign"),
    ),
}

CATEGORIES = ("positive", "negative", "neutral", "unevaluated", "no_response")
CATEGORY_LABELS = i18n.Labels(
    {
        "positive": i18n.N_("Positive"),
        "negative": i18n.N_("Negative"),
        "neutral": i18n.N_("Neutral"),
        "unevaluated": i18n.N_("Not yet evaluated"),
        "no_response": i18n.N_("No response"),
    }
)
_STANCE_OF = {"positive": ("agree",), "negative": ("disagree",), "neutral": ("neutral", "not_sure")}
_SelectT = TypeVar("_SelectT", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class TallyRow:
    question_id: int
    position: int
    text: str
    respondents: int
    positive: int
    negative: int
    neutral: int
    unevaluated: int
    no_response: int
    answered: int
    coded: int
    declared: dict[str, int]  # per category, how many of its answers rest on declared stances
    removed: int
    private: int

    @property
    def counts(self) -> tuple[int, int, int, int, int]:
        return (self.positive, self.negative, self.neutral, self.unevaluated, self.no_response)

    @property
    def percentages(self) -> tuple[int, ...]:
        return tuple(largest_remainder_percentages(self.counts, total=self.respondents))

    def cells(self) -> list[tuple[str, int, int]]:
        """(category, count, percentage) in column order."""
        return list(zip(CATEGORIES, self.counts, self.percentages, strict=True))

    @property
    def declared_total(self) -> int:
        return sum(self.declared.values())

    @property
    def equal_counts_differ(self) -> bool:
        """Whether two cells with the same count show different percentages (the largest
        remainder gave one of them the point left over)."""
        shown: dict[int, int] = {}
        for count, pct in zip(self.counts, self.percentages, strict=True):
            if shown.setdefault(count, pct) != pct:
                return True
        return False


@dataclass(frozen=True)
class TallyTable:
    group: str
    label: str
    respondents: int
    rows: list[TallyRow]

    @property
    def has_unevaluated(self) -> bool:
        return any(row.unevaluated for row in self.rows)

    @property
    def declared_answers(self) -> int:
        return sum(row.declared_total for row in self.rows)

    @property
    def declared_cells(self) -> int:
        """Cells of the table whose figure rests, at least in part, on declared stances."""
        return sum(1 for row in self.rows for n in row.declared.values() if n)

    @property
    def removed(self) -> int:
        return sum(row.removed for row in self.rows)


@dataclass(frozen=True)
class AnnexA:
    consultation_id: int
    split: Split
    tables: list[TallyTable]

    @property
    def main(self) -> TallyTable:
        return self.tables[0]


def stance_in(category: str) -> ColumnElement[bool]:
    return col(Contribution.stance).in_(_STANCE_OF[category])


def _campaign_respondent(consultation_id: int) -> ColumnElement[bool]:
    return exists().where(
        col(CampaignMember.consultation_id) == consultation_id,
        col(CampaignMember.response_id) == col(Response.id),
    )


def group_key(split: Split, consultation_id: int) -> SQLColumnExpression[str]:
    if split is Split.respondent_type:
        return col(Response.respondent_type)
    if split is Split.verification:
        return case(
            (col(Response.respondent_id).is_(None), "imported"),
            else_=col(User.verification_level),
        )
    if split is Split.campaign:
        return case((_campaign_respondent(consultation_id), "campaign"), else_="not_campaign")
    return literal("all")


def with_joins(query: _SelectT, split: Split) -> _SelectT:
    """Join what ``group_key`` reads for ``split`` to a query of answers."""
    if split is Split.all:
        return query
    query = query.join(Response, col(Response.id) == col(Contribution.response_id))
    if split is Split.verification:
        query = query.outerjoin(User, col(User.id) == col(Response.respondent_id))
    return query


def answer_filter(question_ids: list[int]) -> list[ColumnElement[bool]]:
    return [
        col(Contribution.question_id).in_(question_ids),
        col(Contribution.kind) == Kind.answer,
        col(Contribution.state) != PostState.deleted,
    ]


def _tally_statement(
    question_ids: list[int], split: Split, consultation_id: int
) -> Select[*tuple[Any, ...]]:
    """One grouped scan, then Annex A's categories from its few hundred rows.

    The inner query counts answers by (question, state, stance, evaluation, visibility): the
    columns of ``ix_contribution_tally`` in its order, so the database reads that index alone
    and groups without sorting. The outer query maps those rows to the categories: the coded
    evaluation when there is one, else the declared stance.
    """
    key = group_key(split, consultation_id)
    by_group = [] if split is Split.all else [key]  # a constant in GROUP BY forces a sort
    counts = (
        with_joins(
            sa_select(
                col(Contribution.question_id).label("question_id"),
                key.label("grp"),
                col(Contribution.state).label("state"),
                col(Contribution.stance).label("stance"),
                col(Contribution.evaluation).label("evaluation"),
                col(Contribution.is_public).label("is_public"),
                func.count().label("n"),
            ).select_from(Contribution),
            split,
        )
        .where(*answer_filter(question_ids))
        .group_by(*TALLY_INDEX_COLUMNS, *by_group)
        .subquery("counts")
    )
    uncoded = counts.c.evaluation.is_(None)

    def total(*conditions: ColumnElement[bool]) -> ColumnElement[int]:
        condition = and_(*conditions) if conditions else true()
        return func.coalesce(func.sum(case((condition, counts.c.n), else_=0)), 0)

    columns: dict[str, ColumnElement[int]] = {}
    for category in ("positive", "negative", "neutral"):
        declared = total(uncoded, counts.c.stance.in_(_STANCE_OF[category]))
        columns[category] = declared + total(counts.c.evaluation == category)
        columns[f"declared_{category}"] = declared
    columns["unevaluated"] = total(uncoded, counts.c.stance.is_(None))
    columns["answered"] = total()
    columns["coded"] = total(~uncoded)
    columns["removed"] = total(counts.c.state == PostState.removed)
    columns["private"] = total(counts.c.is_public == False)  # noqa: E712
    return sa_select(
        counts.c.question_id,
        counts.c.grp,
        *[expression.label(name) for name, expression in columns.items()],
    ).group_by(counts.c.question_id, counts.c.grp)


def _respondent_statement(consultation_id: int, split: Split) -> Select[*tuple[Any, ...]]:
    key = group_key(split, consultation_id)
    query: Select[*tuple[Any, ...]] = sa_select(
        key.label("grp"), func.count().label("n")
    ).select_from(Response)
    if split is Split.verification:
        query = query.outerjoin(User, col(User.id) == col(Response.respondent_id))
    return query.where(col(Response.consultation_id) == consultation_id).group_by(key)


def annex_a(
    session: Session,
    *,
    consultation: Consultation,
    split: Split = Split.all,
    questions: list[Question] | None = None,
) -> AnnexA:
    """The Annex A table(s) of a consultation: three queries, whatever the number of answers."""
    assert consultation.id is not None, "a stored consultation"
    if questions is None:
        questions = catalogue.questions_of(session, consultation)
    question_ids = catalogue.question_ids(questions)
    respondents = {
        grp: int(n) for grp, n in session.execute(_respondent_statement(consultation.id, split))
    }
    counted: dict[tuple[int, str], Row[*tuple[Any, ...]]] = {}
    if question_ids:
        for row in session.execute(_tally_statement(question_ids, split, consultation.id)):
            counted[(row.question_id, row.grp)] = row
    tables = []
    for group, label in SPLIT_GROUPS[split]:
        total = respondents.get(group, 0)
        rows = []
        for question, question_id in zip(questions, question_ids, strict=True):
            r = counted.get((question_id, group))
            values = {
                name: int(getattr(r, name) or 0) if r is not None else 0
                for name in (
                    "positive",
                    "negative",
                    "neutral",
                    "unevaluated",
                    "declared_positive",
                    "declared_negative",
                    "declared_neutral",
                    "answered",
                    "coded",
                    "removed",
                    "private",
                )
            }
            rows.append(
                TallyRow(
                    question_id=question_id,
                    position=question.position,
                    text=question.text,
                    respondents=total,
                    positive=values["positive"],
                    negative=values["negative"],
                    neutral=values["neutral"],
                    unevaluated=values["unevaluated"],
                    no_response=total - values["answered"],
                    answered=values["answered"],
                    coded=values["coded"],
                    declared={
                        cat: values[f"declared_{cat}"]
                        for cat in ("positive", "negative", "neutral")
                    },
                    removed=values["removed"],
                    private=values["private"],
                )
            )
        tables.append(TallyTable(group=group, label=label, respondents=total, rows=rows))
    return AnnexA(consultation_id=consultation.id, split=split, tables=tables)
