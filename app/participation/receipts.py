"""A respondent's receipt: their whole response, with a reference, to read, print or e-mail.

The reference (``RC-7KQM-4XPA``) is the response's number written in the alphabet of
``kernel.references``: easy to read out, and read back whatever its capitals and spacing.
The e-mailed copy goes through the outbox and is rendered when it is sent, from what is
stored then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.consultations import catalogue
from app.consultations.models import STANCE_LABELS, Consultation, Stance
from app.outbox.queue import Template, queue_mail
from app.participation.models import Contribution, Kind, PostState, Response
from kernel import i18n
from kernel.errors import NotFound
from kernel.references import number_reference, read_number_reference

PREFIX = "RC"

# Message ids, read in the reader's language where a receipt is made (``i18n.gettext``).
STATE_NOTES = {
    PostState.held: i18n.N_("Awaiting review by a moderator before it is published."),
    PostState.hidden: i18n.N_("Hidden while moderators review it."),
    PostState.removed: i18n.N_("Removed by the moderators; it still counts in the results."),
}


def reference_of(response: Response) -> str:
    assert response.id is not None, "a stored response"
    return number_reference(PREFIX, response.id)


def response_id_of(reference: str) -> int | None:
    """The response a reference names, typed any way; None when it is not a reference."""
    return read_number_reference(PREFIX, reference)


@dataclass(frozen=True)
class ReceiptAnswer:
    number: int
    question: str
    stance: str  # its label, "Not answered" when there is none
    text: str
    note: str  # a moderation state in words, or ""


@dataclass(frozen=True)
class Receipt:
    reference: str
    slug: str
    title: str
    is_public: bool
    submitted_at: datetime
    updated_at: datetime
    answers: list[ReceiptAnswer]

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if a.text)


def receipt_of(session: Session, *, response_id: int) -> Receipt | None:
    """The receipt of a stored response (three queries); None if it no longer exists."""
    response = session.get(Response, response_id)
    if response is None:
        return None
    consultation = session.get(Consultation, response.consultation_id)
    if consultation is None:
        return None
    questions = catalogue.questions_of(session, consultation)
    answers = {
        a.question_id: a
        for a in session.exec(
            select(Contribution).where(
                col(Contribution.response_id) == response.id,
                col(Contribution.kind) == Kind.answer,
                col(Contribution.state) != PostState.deleted,
            )
        )
    }
    lines = []
    for question in questions:
        answer = answers.get(question.id or 0)
        stance = STANCE_LABELS[Stance(answer.stance)] if answer and answer.stance else None
        note = STATE_NOTES.get(PostState(answer.state)) if answer else None
        lines.append(
            ReceiptAnswer(
                number=question.position,
                question=question.text,
                stance=stance or (i18n._("No stance given") if answer else i18n._("Not answered")),
                text=answer.source_text if answer else "",
                note=i18n.gettext(note) if note else "",
            )
        )
    return Receipt(
        reference=reference_of(response),
        slug=consultation.slug,
        title=consultation.title,
        is_public=response.is_public,
        submitted_at=response.created_at,
        updated_at=max(
            [response.updated_at, *(a.updated_at for a in answers.values())],
            default=response.updated_at,
        ),
        answers=lines,
    )


def email_receipt(
    session: Session, *, response: Response | None, account_id: int, now: datetime
) -> bool:
    """Queue a copy of the response to its respondent; False when a copy of this version is
    already queued or sent (asking twice sends one)."""
    if response is None or response.respondent_id != account_id:
        raise NotFound(i18n._("You have not answered this consultation yet."))
    receipt = receipt_of(session, response_id=response.id or 0)
    assert receipt is not None, "a stored response"
    return queue_mail(
        session,
        template=Template.response_receipt,
        recipient_id=account_id,
        params={"response_id": response.id},
        dedupe_key=f"receipt:{response.id}:{receipt.updated_at.isoformat()}",
        now=now,
    )
