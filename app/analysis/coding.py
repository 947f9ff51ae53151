"""Coding answers: the analyst's evaluation and tags, one answer or a whole campaign at a time.

The workspace shows the answers of one question one after another (the next one not yet coded,
in the order they came in), with the respondent's declared stance, the codebook's tags and the
progress ("412 of 1,030 coded").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, String, delete, func, insert, literal, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.analysis.cells import respondent_label, with_respondent
from app.analysis.models import (
    AnswerCoding,
    AnswerTag,
    CampaignGroup,
    CampaignMember,
    CodebookTag,
    Evaluation,
)
from app.analysis.tallies import answer_filter
from app.consultations.models import Consultation, Question
from app.participation.models import Contribution, Kind, PostState, Response
from kernel import i18n
from kernel.errors import FormInvalid, NotFound
from kernel.rows import lock_row
from kernel.tables import UTCDateTime
from kernel.text import clean

EVALUATION_HINTS = i18n.Labels(
    {
        Evaluation.positive: i18n.N_("suggests the proposal is likely to be helpful"),
        Evaluation.negative: i18n.N_("needs significant change, or the focus is wrong"),
        Evaluation.neutral: i18n.N_("includes suggested revisions"),
    }
)


def parse_evaluation(value: str | None) -> Evaluation:
    try:
        return Evaluation(value or "")
    except ValueError:
        raise FormInvalid({"evaluation": i18n._("Choose positive, negative or neutral.")}) from None


def codebook(session: Session, *, consultation: Consultation) -> list[CodebookTag]:
    return list(
        session.exec(
            select(CodebookTag)
            .where(CodebookTag.consultation_id == consultation.id)
            .order_by(col(CodebookTag.label))
        )
    )


def add_tag(
    session: Session, *, consultation: Consultation, label: str | None, description: str | None = ""
) -> CodebookTag:
    label = " ".join(clean(label, single_line=True).split())
    if not label:
        raise FormInvalid({"label": i18n._("Enter the tag's name.")})
    if len(label) > 80:
        raise FormInvalid({"label": i18n._("A tag's name is at most 80 characters.")})
    exists = session.exec(
        select(CodebookTag).where(
            CodebookTag.consultation_id == consultation.id,
            func.lower(CodebookTag.label) == label.lower(),
        )
    ).first()
    if exists is not None:
        raise FormInvalid(
            {"label": i18n._("The codebook already has the tag “{label}”.", label=exists.label)}
        )
    assert consultation.id is not None, "a stored consultation"
    tag = CodebookTag(
        consultation_id=consultation.id, label=label, description=clean(description)[:300]
    )
    session.add(tag)
    session.flush()
    return tag


def _valid_tag_ids(
    session: Session, consultation: Consultation, tag_ids: Iterable[int]
) -> list[int]:
    wanted = sorted(set(tag_ids))
    if not wanted:
        return []
    found = set(
        session.exec(
            select(CodebookTag.id).where(
                CodebookTag.consultation_id == consultation.id, col(CodebookTag.id).in_(wanted)
            )
        )
    )
    if found != set(wanted):
        raise FormInvalid({"tags": i18n._("Choose tags from this consultation's codebook.")})
    return wanted


def get_answer(
    session: Session, *, consultation: Consultation, answer_id: int
) -> tuple[Contribution, Question]:
    row = session.exec(
        select(Contribution, Question)
        .join(Question, col(Question.id) == col(Contribution.question_id))
        .where(
            Contribution.id == answer_id,
            Contribution.kind == Kind.answer,
            Question.consultation_id == consultation.id,
        )
    ).first()
    if row is None:
        raise NotFound(i18n._("This consultation has no such answer."))
    return row[0], row[1]


def code_answer(
    session: Session,
    *,
    consultation: Consultation,
    answer_id: int,
    evaluation: str | None,
    tag_ids: Iterable[int] = (),
    coder: User,
    now: datetime,
) -> AnswerCoding:
    """Record (or replace) the evaluation and tags of one answer."""
    chosen = parse_evaluation(evaluation)
    answer, question = get_answer(session, consultation=consultation, answer_id=answer_id)
    tags = _valid_tag_ids(session, consultation, tag_ids)
    assert answer.id is not None and question.id is not None, "read from the database"
    # Two organisers coding the same answer at once: the second waits here for the first to
    # commit, then replaces its coding (the last one saved stands, as for any edit).
    lock_row(session, Contribution, answer.id)
    coding = session.get(AnswerCoding, answer.id, populate_existing=True)
    if coding is None:
        coding = AnswerCoding(
            contribution_id=answer.id,
            question_id=question.id,
            evaluation=chosen.value,
            coded_by_id=coder.id,
            coded_at=now,
        )
    else:
        coding.evaluation, coding.coded_by_id, coding.coded_at = chosen.value, coder.id, now
        coding.via_campaign_group_id = None
    session.add(coding)
    answer.evaluation = chosen.value  # the copy Annex A counts (see AnswerCoding)
    session.add(answer)
    session.execute(delete(AnswerTag).where(col(AnswerTag.contribution_id) == answer.id))
    for tag_id in tags:
        session.add(AnswerTag(contribution_id=answer.id, tag_id=tag_id))
    session.flush()
    return coding


def get_group(session: Session, *, consultation: Consultation, group_id: int) -> CampaignGroup:
    group = session.get(CampaignGroup, group_id)
    if group is None or group.consultation_id != consultation.id:
        raise NotFound(i18n._("This consultation has no such campaign group."))
    return group


@dataclass(frozen=True)
class CodedGroup:
    count: int  # answers coded
    evaluation: Evaluation
    question_number: int  # the question the group's answers are to


def code_group(
    session: Session,
    *,
    consultation: Consultation,
    group_id: int,
    evaluation: str | None,
    tag_ids: Iterable[int] = (),
    coder: User,
    now: datetime,
) -> CodedGroup:
    """Code every answer of a campaign group at once (set-based)."""
    chosen = parse_evaluation(evaluation)
    group = get_group(session, consultation=consultation, group_id=group_id)
    tags = _valid_tag_ids(session, consultation, tag_ids)
    in_group = col(CampaignMember.group_id) == group.id
    members = sa_select(col(CampaignMember.contribution_id)).where(in_group)
    session.execute(
        update(Contribution)
        .where(col(Contribution.id).in_(members))
        .values(evaluation=chosen.value)
    )
    session.execute(delete(AnswerCoding).where(col(AnswerCoding.contribution_id).in_(members)))
    session.execute(delete(AnswerTag).where(col(AnswerTag.contribution_id).in_(members)))
    session.execute(
        insert(AnswerCoding).from_select(
            [
                "contribution_id",
                "question_id",
                "evaluation",
                "coded_by_id",
                "coded_at",
                "via_campaign_group_id",
            ],
            sa_select(
                col(CampaignMember.contribution_id),
                col(CampaignMember.question_id),
                literal(chosen.value, String),
                literal(coder.id, Integer),
                literal(now, UTCDateTime()),
                literal(group.id, Integer),
            ).where(in_group),
        )
    )
    for tag_id in tags:
        session.execute(
            insert(AnswerTag).from_select(
                ["contribution_id", "tag_id"],
                sa_select(col(CampaignMember.contribution_id), literal(tag_id, Integer)).where(
                    in_group
                ),
            )
        )
    session.flush()
    question = session.get(Question, group.question_id)
    return CodedGroup(
        count=group.size, evaluation=chosen, question_number=question.position if question else 0
    )


# The workspace -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    coded: int
    answered: int

    @property
    def remaining(self) -> int:
        return self.answered - self.coded


@dataclass(frozen=True)
class AnswerForCoding:
    id: int
    respondent: str
    stance: str | None
    html: str
    state: str
    is_public: bool
    channel: str
    respondent_type: str
    evaluation: str | None
    tag_ids: frozenset[int]
    campaign_group_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class GroupForCoding:
    id: int
    size: int
    coded: int
    representative_html: str


@dataclass(frozen=True)
class Workspace:
    consultation: Consultation
    question: Question
    questions: list[Question]
    progress: Progress
    answer: AnswerForCoding | None
    tags: list[CodebookTag]
    groups: list[GroupForCoding]


def _answer_filter(question: Question) -> list[ColumnElement[bool]]:
    assert question.id is not None, "a stored question"
    return answer_filter([question.id])


def progress(session: Session, *, question: Question) -> Progress:
    answered = session.exec(
        select(func.count()).select_from(Contribution).where(*_answer_filter(question))
    ).one()
    coded = session.exec(
        select(func.count())
        .select_from(Contribution)
        .where(*_answer_filter(question), col(Contribution.evaluation).is_not(None))
    ).one()
    return Progress(coded=coded, answered=answered)


def _answer_for_coding(
    session: Session, question: Question, *, answer_id: int | None, after: int | None
) -> AnswerForCoding | None:
    query = (
        with_respondent(
            sa_select(
                col(Contribution.id),
                col(Contribution.stance),
                col(Contribution.html),
                col(Contribution.state),
                col(Contribution.is_public),
                col(Contribution.created_at),
                col(Response.channel),
                col(Response.respondent_type),
                col(Contribution.evaluation),
                col(CampaignMember.group_id),
                respondent_label().label("respondent"),
            )
            .select_from(Contribution)
            .join(Response, col(Response.id) == col(Contribution.response_id))
        )
        .outerjoin(CampaignMember, col(CampaignMember.contribution_id) == col(Contribution.id))
        .where(*_answer_filter(question))
    )
    if answer_id is not None:
        row = session.execute(query.where(col(Contribution.id) == answer_id)).first()
        if row is None:
            raise NotFound(i18n._("This question has no such answer."))
    else:
        uncoded = query.where(col(Contribution.evaluation).is_(None)).order_by(col(Contribution.id))
        row = None
        if after is not None:
            row = session.execute(uncoded.where(col(Contribution.id) > after).limit(1)).first()
        if row is None:
            row = session.execute(uncoded.limit(1)).first()
        if row is None:
            return None
    tag_ids = frozenset(
        session.exec(select(AnswerTag.tag_id).where(AnswerTag.contribution_id == row.id))
    )
    return AnswerForCoding(
        id=row.id,
        respondent=row.respondent,
        stance=row.stance,
        html="" if row.state == PostState.removed else row.html,
        state=row.state,
        is_public=row.is_public,
        channel=row.channel,
        respondent_type=row.respondent_type,
        evaluation=row.evaluation,
        tag_ids=tag_ids,
        campaign_group_id=row.group_id,
        created_at=row.created_at,
    )


def campaign_groups(
    session: Session, *, question: Question, limit: int = 20
) -> list[GroupForCoding]:
    """The question's largest campaign groups, with how many of their answers are coded."""
    coded = (
        sa_select(func.count())
        .select_from(CampaignMember)
        .join(Contribution, col(Contribution.id) == col(CampaignMember.contribution_id))
        .where(
            col(CampaignMember.group_id) == col(CampaignGroup.id),
            col(Contribution.evaluation).is_not(None),
        )
        .scalar_subquery()
    )
    rows = session.execute(
        sa_select(
            col(CampaignGroup.id),
            col(CampaignGroup.size),
            coded.label("coded"),
            col(Contribution.html),
        )
        .join(Contribution, col(Contribution.id) == col(CampaignGroup.representative_id))
        .where(col(CampaignGroup.question_id) == question.id)
        .order_by(col(CampaignGroup.size).desc(), col(CampaignGroup.id))
        .limit(limit)
    ).all()
    return [
        GroupForCoding(id=r.id, size=r.size, coded=r.coded, representative_html=r.html)
        for r in rows
    ]


def workspace(
    session: Session,
    *,
    consultation: Consultation,
    question: Question,
    questions: list[Question],
    answer_id: int | None = None,
    after: int | None = None,
) -> Workspace:
    return Workspace(
        consultation=consultation,
        question=question,
        questions=questions,
        progress=progress(session, question=question),
        answer=_answer_for_coding(session, question, answer_id=answer_id, after=after),
        tags=codebook(session, consultation=consultation),
        groups=campaign_groups(session, question=question),
    )
