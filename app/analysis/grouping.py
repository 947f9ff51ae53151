"""Finding campaigns in the stored answers and keeping the groups (see ``campaigns``).

Grouping needs the texts, so this is the one place that reads answers into Python: one
question at a time, streamed in batches. Codings made through a group are kept on its answers
when groups are found again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.analysis.campaigns import find_campaign_groups
from app.analysis.models import CampaignGroup, CampaignMember
from app.analysis.tallies import answer_filter
from app.consultations import catalogue
from app.consultations.models import Consultation
from app.participation.models import Contribution


def _texts(
    rows: Iterable[Row[*tuple[Any, ...]]], response_of: dict[int, int]
) -> Iterator[tuple[int, str]]:
    """The (answer id, text) of each row, noting the answer's response on the way."""
    for answer_id, text, response_id in rows:
        response_of[answer_id] = response_id
        yield answer_id, text


def detect_campaigns(
    session: Session,
    *,
    consultation: Consultation,
    now: datetime,
    threshold: float = 0.8,
    min_group_size: int = 5,
) -> int:
    """Replace the consultation's campaign groups with freshly found ones; returns how many."""
    assert consultation.id is not None, "a stored consultation"
    session.execute(
        delete(CampaignMember).where(col(CampaignMember.consultation_id) == consultation.id)
    )
    session.execute(
        delete(CampaignGroup).where(col(CampaignGroup.consultation_id) == consultation.id)
    )
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
        for group in groups:
            row = CampaignGroup(
                consultation_id=consultation.id,
                question_id=question_id,
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
                        "question_id": question_id,
                        "response_id": response_of[member],
                    }
                    for member in group.member_ids
                ],
            )
            found += 1
    session.flush()
    return found
