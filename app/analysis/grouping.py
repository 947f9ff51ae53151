"""Finding campaigns in the stored answers and keeping the groups (see ``campaigns``).

Grouping needs the texts, so this is the one place that reads answers into Python: one
question at a time, streamed in batches. Codings made through a group are kept on its answers
when groups are found again, and a group whose answers are exactly the same as before keeps
its row (and its address), so that an analyst looking at it while the scheduler regroups
after new answers is not sent to a group that no longer exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.analysis.campaigns import CampaignGroup as FoundGroup
from app.analysis.campaigns import find_campaign_groups
from app.analysis.models import CampaignGroup, CampaignMember
from app.analysis.tallies import answer_filter
from app.consultations import catalogue
from app.consultations.models import Consultation
from app.outbox.jobs import JobName, request_job
from app.participation.models import Contribution


def _texts(
    rows: Iterable[Row[*tuple[Any, ...]]], response_of: dict[int, int]
) -> Iterator[tuple[int, str]]:
    """The (answer id, text) of each row, noting the answer's response on the way."""
    for answer_id, text, response_id in rows:
        response_of[answer_id] = response_id
        yield answer_id, text


def _stored_groups(session: Session, question_id: int) -> dict[frozenset[int], CampaignGroup]:
    """The question's groups as they are now, by their set of answers."""
    members: dict[int, set[int]] = {}
    for group_id, contribution_id in session.exec(
        select(CampaignMember.group_id, CampaignMember.contribution_id).where(
            CampaignMember.question_id == question_id
        )
    ):
        members.setdefault(group_id, set()).add(contribution_id)
    groups = session.exec(select(CampaignGroup).where(CampaignGroup.question_id == question_id))
    return {frozenset(members.get(g.id or 0, ())): g for g in groups}


def _regroup_question(
    session: Session,
    *,
    consultation_id: int,
    question_id: int,
    found: list[FoundGroup],
    response_of: dict[int, int],
    now: datetime,
) -> None:
    stored = _stored_groups(session, question_id)
    kept: set[int] = set()
    for group in found:
        same = stored.get(frozenset(group.member_ids))
        if same is not None and same.id is not None:
            kept.add(same.id)
            if same.representative_id != group.representative_id:
                same.representative_id = group.representative_id
                session.add(same)
            continue
        row = CampaignGroup(
            consultation_id=consultation_id,
            question_id=question_id,
            representative_id=group.representative_id,
            size=group.size,
            detected_at=now,
        )
        session.add(row)
        session.flush()
        kept.add(row.id or 0)
        # An answer belongs to one group: leave the group it was in before.
        session.execute(
            delete(CampaignMember).where(col(CampaignMember.contribution_id).in_(group.member_ids))
        )
        session.execute(
            insert(CampaignMember),
            [
                {
                    "contribution_id": member,
                    "group_id": row.id,
                    "consultation_id": consultation_id,
                    "question_id": question_id,
                    "response_id": response_of[member],
                }
                for member in group.member_ids
            ],
        )
    gone = [g.id for g in stored.values() if g.id is not None and g.id not in kept]
    if gone:
        session.execute(delete(CampaignMember).where(col(CampaignMember.group_id).in_(gone)))
        session.execute(delete(CampaignGroup).where(col(CampaignGroup.id).in_(gone)))


def detect_campaigns(
    session: Session,
    *,
    consultation: Consultation,
    now: datetime,
    threshold: float = 0.8,
    min_group_size: int = 5,
) -> int:
    """Bring the consultation's campaign groups up to date with its answers; returns how many
    groups there are. Unchanged groups are kept; changed and new ones are stored afresh."""
    assert consultation.id is not None, "a stored consultation"
    found = 0
    questions = catalogue.questions_of(session, consultation)
    for question_id in catalogue.question_ids(questions):
        rows = session.execute(
            sa_select(
                col(Contribution.id), col(Contribution.source_text), col(Contribution.response_id)
            )
            .where(*answer_filter([question_id]))
            .order_by(col(Contribution.id))
            .execution_options(yield_per=2000)
        )
        response_of: dict[int, int] = {}
        groups = find_campaign_groups(
            _texts(rows, response_of), threshold=threshold, min_group_size=min_group_size
        )
        _regroup_question(
            session,
            consultation_id=consultation.id,
            question_id=question_id,
            found=groups,
            response_of=response_of,
            now=now,
        )
        found += len(groups)
    session.flush()
    return found


def request_regrouping(
    session: Session, *, consultation_id: int, now: datetime, delay: timedelta
) -> None:
    """Ask the scheduler to find the campaigns again ``delay`` from now (after new answers or
    an import). Requests made before it runs are the same request: one run does them all."""
    request_job(
        session,
        name=JobName.regroup_campaigns,
        key=str(consultation_id),
        now=now,
        delay=delay,
    )


def regroup_job(session: Session, *, consultation_id: int, now: datetime) -> None:
    """The scheduler's run of a requested regrouping."""
    consultation = session.get(Consultation, consultation_id)
    if consultation is not None:
        detect_campaigns(session, consultation=consultation, now=now)
