"""The organiser's page of one consultation: its state, questions and the figures so far.

A fixed number of grouped queries, whatever the number of responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, SQLColumnExpression, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from app.analysis import assurance, coding, tallies
from app.analysis.models import (
    CampaignGroup,
    CampaignMember,
    CodebookTag,
    ConsultationOutcome,
    ResponseImport,
)
from app.consultations import catalogue, overview, wording
from app.consultations.models import Consultation, ConsultationDocument, Question
from app.participation.models import Contribution, RespondentType, Response
from kernel import localtime


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answered: int
    coded: int
    stances: dict[str, int]
    campaign_answers: int
    row: tallies.TallyRow


@dataclass(frozen=True)
class OrganisationLine:
    name: str
    may_be_named: bool
    channel: str


@dataclass(frozen=True)
class OrganiserView:
    consultation: Consultation
    status: str
    documents: list[ConsultationDocument]
    questions: list[Question]
    question_lock: str | None
    respondents: int
    by_day: list[tuple[str, int]]
    by_channel: dict[str, int]
    late: int
    question_stats: list[QuestionStats]
    organisations: list[OrganisationLine]
    organisation_count: int
    campaign_groups: int
    tags: list[CodebookTag]
    imports: list[ResponseImport]
    outcome: ConsultationOutcome | None
    annex: tallies.AnnexA
    agreements: list[assurance.Agreement]  # second codings asked for, per question
    coders: list[tuple[int, str]]  # organisers who may be asked to second-code: (id, pseudonym)

    @property
    def second_coded(self) -> set[int]:
        return {a.question_id for a in self.agreements}

    @property
    def max_per_day(self) -> int:
        return max((n for _, n in self.by_day), default=0)


def responses_by_day(
    session: Session, *, consultation: Consultation, now: datetime, limit: int = 120
) -> list[tuple[str, int]]:
    """Responses per day in the site's time zone, every day from the first response to today
    (or the closing day), days with none included: at most the last ``limit`` days.

    Counted per hour in SQL (a few hundred rows at most), then put on the local calendar here,
    where a day is 23 or 25 hours long when the clocks change."""
    created = col(Response.created_at)
    if session.get_bind().dialect.name == "postgresql":
        hour: SQLColumnExpression[Any] = func.date_trunc("hour", created)
    else:
        hour = func.strftime("%Y-%m-%d %H:00:00", created)
    rows = session.execute(
        sa_select(hour, func.count())
        .where(col(Response.consultation_id) == consultation.id)
        .group_by(hour)
    ).all()
    if not rows:
        return []
    times = localtime.current()
    per_day: dict[date, int] = {}
    for value, n in rows:
        when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        day = times.local(when).date()
        per_day[day] = per_day.get(day, 0) + n
    last = max(times.local(min(now, consultation.effective_closes_at)).date(), max(per_day))
    first = max(min(per_day), last - timedelta(days=limit - 1))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    # "Mon 2 November 2026", in the reader's language ("Llun 2 Tachwedd 2026").
    return [(localtime.weekday_date_in_words(d), per_day.get(d, 0)) for d in days]


def declared_stances(session: Session, *, question_ids: list[int]) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = {qid: {} for qid in question_ids}
    if not question_ids:
        return result
    for qid, stance, n in session.execute(
        sa_select(col(Contribution.question_id), col(Contribution.stance), func.count())
        .where(*tallies.answer_filter(question_ids))
        .group_by(col(Contribution.question_id), col(Contribution.stance))
    ):
        result[qid][stance or "none"] = n
    return result


def organisations(
    session: Session,
    *,
    consultation: Consultation,
    named_only: bool = False,
    limit: int | None = None,
) -> list[OrganisationLine]:
    query = select(
        Response.organisation_name, Response.may_name_organisation, Response.channel
    ).where(
        Response.consultation_id == consultation.id,
        Response.respondent_type == RespondentType.organisation,
        col(Response.organisation_name).is_not(None),
    )
    if named_only:
        query = query.where(Response.may_name_organisation)
    query = query.order_by(col(Response.organisation_name), col(Response.id))
    if limit:
        query = query.limit(limit)
    return [
        OrganisationLine(name, bool(named), channel)
        for name, named, channel in session.exec(query)
        if name is not None  # always: chosen for having one
    ]


_K = TypeVar("_K")


def _count_by(session: Session, key: Mapped[_K], condition: ColumnElement[bool]) -> dict[_K, int]:
    """How many rows meet ``condition``, by ``key`` (one grouped query)."""
    return dict(session.exec(select(key, func.count()).where(condition).group_by(key)).all())


def channel_counts(session: Session, *, consultation: Consultation) -> dict[str, int]:
    return _count_by(
        session, col(Response.channel), col(Response.consultation_id) == consultation.id
    )


def campaign_answer_counts(session: Session, *, consultation: Consultation) -> dict[int, int]:
    return _count_by(
        session,
        col(CampaignMember.question_id),
        col(CampaignMember.consultation_id) == consultation.id,
    )


def response_count(
    session: Session, consultation: Consultation, *conditions: SQLColumnExpression[bool]
) -> int:
    """How many responses to the consultation meet ``conditions``."""
    return session.exec(
        select(func.count())
        .select_from(Response)
        .where(col(Response.consultation_id) == consultation.id, *conditions)
    ).one()


def organiser_view(
    session: Session, *, consultation: Consultation, now: datetime, organisations_shown: int = 50
) -> OrganiserView:
    questions = catalogue.questions_of(session, consultation)
    ids = catalogue.question_ids(questions)
    annex = tallies.annex_a(session, consultation=consultation, questions=questions)
    stances = declared_stances(session, question_ids=ids)
    campaigns = campaign_answer_counts(session, consultation=consultation)
    stats = [
        QuestionStats(
            question=q,
            answered=row.answered,
            coded=row.coded,
            stances=stances[qid],
            campaign_answers=campaigns.get(qid, 0),
            row=row,
        )
        for q, qid, row in zip(questions, ids, annex.main.rows, strict=True)
    ]
    org_count = response_count(
        session, consultation, col(Response.respondent_type) == RespondentType.organisation
    )
    late = response_count(session, consultation, col(Response.is_late))
    return OrganiserView(
        consultation=consultation,
        status=overview.status_of(consultation, now),
        documents=overview.documents_of(session, consultation),
        questions=questions,
        question_lock=wording.question_lock(session, consultation),
        respondents=annex.main.respondents,
        by_day=responses_by_day(session, consultation=consultation, now=now),
        by_channel=channel_counts(session, consultation=consultation),
        late=late,
        question_stats=stats,
        organisations=organisations(session, consultation=consultation, limit=organisations_shown),
        organisation_count=org_count,
        campaign_groups=session.exec(
            select(func.count())
            .select_from(CampaignGroup)
            .where(CampaignGroup.consultation_id == consultation.id)
        ).one(),
        tags=coding.codebook(session, consultation=consultation),
        imports=list(
            session.exec(
                select(ResponseImport)
                .where(ResponseImport.consultation_id == consultation.id)
                .order_by(col(ResponseImport.imported_at).desc())
                .limit(20)
            )
        ),
        outcome=session.get(ConsultationOutcome, consultation.id),
        annex=annex,
        agreements=assurance.agreements(session, questions=questions),
        coders=[(u.id, u.pseudonym) for u in assurance.organisers(session) if u.id is not None],
    )
