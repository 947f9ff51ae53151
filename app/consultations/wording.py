"""Wording a consultation's questions while it is a draft with no answers."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.consultations import catalogue
from app.consultations.models import (
    Consultation,
    Question,
)
from app.participation.models import Contribution, Kind
from kernel import i18n
from kernel.errors import Conflict, FormInvalid, NotFound
from kernel.plurals import plural
from kernel.text import clean


def answer_count(session: Session, consultation: Consultation) -> int:
    return session.exec(
        select(func.count())
        .select_from(Contribution)
        .join(Question, col(Question.id) == col(Contribution.question_id))
        .where(Question.consultation_id == consultation.id, Contribution.kind == Kind.answer)
    ).one()


def question_lock(session: Session, consultation: Consultation) -> str | None:
    """Why the questions can no longer be changed, or None while they can."""
    answers = answer_count(session, consultation)
    if answers:
        return plural(
            answers,
            "The questions can no longer be changed: {n} answer has been received to them as "
            "they are worded, and changing a question would change what that answer means. If "
            "a question must change, close this consultation and run a new one.",
            "The questions can no longer be changed: {n} answers have been received to them as "
            "they are worded, and changing a question would change what those answers mean. If "
            "a question must change, close this consultation and run a new one.",
        )
    if consultation.is_published:
        return i18n._(
            "The questions can no longer be changed: the consultation is published, so "
            "people may already be preparing their answers to the questions as they are."
        )
    return None


def _ensure_editable(session: Session, consultation: Consultation) -> None:
    reason = question_lock(session, consultation)
    if reason:
        raise Conflict(reason)


# The Welsh wording beside the English: (field, most characters); empty = shown in English.
WELSH_FIELDS = (("text_cy", 1000), ("guidance_cy", 2000), ("stance_prompt_cy", 300))


def _welsh_values(values: dict[str, str | None]) -> dict[str, str]:
    welsh = {
        name: clean(values.get(name), single_line=name == "stance_prompt_cy")
        for name, _most in WELSH_FIELDS
    }
    errors = {
        name: i18n._(
            "This is at most {most} characters (it is {length}).",
            most=i18n.number(most),
            length=i18n.number(len(welsh[name])),
        )
        for name, most in WELSH_FIELDS
        if len(welsh[name]) > most
    }
    if errors:
        raise FormInvalid(errors)
    return welsh


def _question_values(values: dict[str, str | None]) -> tuple[str, str, str]:
    text = clean(values.get("text"))
    guidance = clean(values.get("guidance"))
    prompt = (
        clean(values.get("stance_prompt"), single_line=True)
        or "Do you agree with the proposed approach?"
    )
    errors = {}
    if not text or len(text) > 1000:
        errors["text"] = i18n._("Enter the question, at most 1,000 characters.")
    if len(guidance) > 2000:
        errors["guidance"] = i18n._("Guidance is at most 2,000 characters.")
    if len(prompt) > 300:
        errors["stance_prompt"] = i18n._("The stance prompt is at most 300 characters.")
    if errors:
        raise FormInvalid(errors)
    return text, guidance, prompt


def add_question(
    session: Session, *, consultation: Consultation, values: dict[str, str | None]
) -> Question:
    _ensure_editable(session, consultation)
    text, guidance, prompt = _question_values(values)
    welsh = _welsh_values(values)
    last = (
        session.exec(
            select(func.max(col(Question.position))).where(
                Question.consultation_id == consultation.id
            )
        ).one()
        or 0
    )
    assert consultation.id is not None, "a stored consultation"
    question = Question(
        consultation_id=consultation.id,
        position=last + 1,
        text=text,
        guidance=guidance,
        stance_prompt=prompt,
        text_cy=welsh["text_cy"],
        guidance_cy=welsh["guidance_cy"],
        stance_prompt_cy=welsh["stance_prompt_cy"],
    )
    session.add(question)
    session.flush()
    return question


def edit_question(
    session: Session, *, consultation: Consultation, number: int, values: dict[str, str | None]
) -> Question:
    _ensure_editable(session, consultation)
    question = catalogue.get_question(session, consultation, number)
    question.text, question.guidance, question.stance_prompt = _question_values(values)
    for name, value in _welsh_values(values).items():
        setattr(question, name, value)
    session.add(question)
    session.flush()
    return question


def move_question(
    session: Session, *, consultation: Consultation, number: int, direction: str
) -> Question:
    """Swap a question with the one above (``up``) or below (``down``)."""
    _ensure_editable(session, consultation)
    question = catalogue.get_question(session, consultation, number)
    other_number = number - 1 if direction == "up" else number + 1
    try:
        other = catalogue.get_question(session, consultation, other_number)
    except NotFound:
        raise Conflict(i18n._("That question is already at the end of the list.")) from None
    # Through a free position, so the (consultation, position) constraint always holds.
    _set_position(session, question, -1)
    _set_position(session, other, number)
    _set_position(session, question, other_number)
    session.flush()
    session.expire(question)
    session.expire(other)
    return question


def remove_question(session: Session, *, consultation: Consultation, number: int) -> None:
    _ensure_editable(session, consultation)
    question = catalogue.get_question(session, consultation, number)
    session.delete(question)
    session.flush()
    later = session.exec(
        select(Question)
        .where(Question.consultation_id == consultation.id, Question.position > number)
        .order_by(col(Question.position))
    ).all()
    for q in later:
        _set_position(session, q, q.position - 1)
    session.flush()


def _set_position(session: Session, question: Question, position: int) -> None:
    """Move a question in the database only (the object keeps its old position until it is
    expired or refreshed)."""
    session.execute(
        update(Question).where(col(Question.id) == question.id).values(position=position)
    )
