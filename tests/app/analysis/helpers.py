"""Building responses and answers directly (every kind the tallies must count)."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.analysis.models import ImportedResponse, ResponseImport
from app.consultations.models import Consultation
from app.participation.models import Contribution, Kind, PostState, Response
from app.participation.text import render_markdown
from kernel.clock import utcnow
from tests.factories import make_user


def add_response(
    session: Session,
    consultation: Consultation,
    answers: dict[int, str | None],
    *,
    respondent: User | None = None,
    imported: bool = False,
    respondent_type: str = "individual",
    organisation_name: str | None = None,
    may_name_organisation: bool = False,
    channel: str = "web",
    is_public: bool | None = None,
    states: dict[int, str] | None = None,
    texts: dict[int, str] | None = None,
    level: str | None = None,
) -> Response:
    """One respondent with a stance (or None: no declared stance) per answered question."""
    if respondent is None and not imported:
        respondent = make_user(session)
    if respondent is not None and level is not None:
        respondent.verification_level = level
        session.add(respondent)
    now = utcnow()
    if is_public is None:
        is_public = not imported  # imported responses are private to the organisers
    response = Response(
        consultation_id=consultation.id,
        respondent_id=respondent.id if respondent else None,
        is_public=is_public,
        channel=channel if not imported or channel != "web" else "post",
        respondent_type=respondent_type,
        organisation_name=organisation_name,
        may_name_organisation=may_name_organisation,
        created_at=now,
        updated_at=now,
    )
    session.add(response)
    session.flush()
    if imported:
        batch = ResponseImport(
            consultation_id=consultation.id,
            file_sha256=f"{response.id:064d}",
            filename="letters.csv",
            row_count=1,
        )
        session.add(batch)
        session.flush()
        session.add(
            ImportedResponse(
                response_id=response.id,
                import_id=batch.id,
                consultation_id=consultation.id,
                reference=f"L-{response.id}",
            )
        )
    for question_id, stance in answers.items():
        text = (texts or {}).get(question_id, f"My answer to question {question_id}.")
        session.add(
            Contribution(
                kind=Kind.answer,
                question_id=question_id,
                response_id=response.id,
                author_id=respondent.id if respondent else None,
                stance=stance,
                source_text=text,
                html=render_markdown(text),
                is_public=is_public,
                state=(states or {}).get(question_id, PostState.visible),
                created_at=now,
                updated_at=now,
            )
        )
    session.flush()
    return response
