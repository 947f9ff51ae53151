"""Finding campaigns in the stored answers and keeping the groups (see ``campaigns``).

Grouping needs the texts, so this is the one place that reads answers into Python: one
question at a time, streamed in batches. Codings made through a group are kept on its answers
when groups are found again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session

from app.analysis.campaigns import find_campaign_groups
from app.analysis.models import CampaignGroup, CampaignMember
from app.consultations import catalogue
from app.consultations.models import Consultation
from app.participation.models import Contribution, Kind, PostState


def detect_campaigns(
    session: Session,
    *,
    consultation: Consultation,
    now: datetime,
    threshold: float = 0.8,
    min_group_size: int = 5,
) -> int:
    """Replace the consultation's campaign groups with freshly found ones; returns how many."""
    session.execute(delete(CampaignMember).where(CampaignMember.consultation_id == consultation.id))
    session.execute(delete(CampaignGroup).where(CampaignGroup.consultation_id == consultation.id))
    found = 0
    for question in catalogue.questions_of(session, consultation):
        rows = session.execute(
            sa_select(Contribution.id, Contribution.source_text, Contribution.response_id)
            .where(
                Contribution.question_id == question.id,
                Contribution.kind == Kind.answer,
                Contribution.state != PostState.deleted,
            )
            .order_by(Contribution.id)
            .execution_options(yield_per=2000)
        )
        response_of: dict[int, int] = {}

        def items(rows=rows, response_of=response_of):
            for answer_id, text, response_id in rows:
                response_of[answer_id] = response_id
                yield answer_id, text

        groups = find_campaign_groups(items(), threshold=threshold, min_group_size=min_group_size)
        for group in groups:
            row = CampaignGroup(
                consultation_id=consultation.id,
                question_id=question.id,
                representative_id=group.representative_id,
                size=group.size,
                detected_at=now,
            )
            session.add(row)
            session.flush()
            session.execute(
                insert(CampaignMember),
                [
                    {
                        "contribution_id": member,
                        "group_id": row.id,
                        "consultation_id": consultation.id,
                        "question_id": question.id,
                        "response_id": response_of[member],
                    }
                    for member in group.member_ids
                ],
            )
            found += 1
    session.flush()
    return found
