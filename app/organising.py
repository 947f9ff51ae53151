"""Running consultations: organisers create and edit them, word their questions while they are
drafts, publish them and close them early."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from app import audit, consultations
from app.errors import Conflict, FormInvalid, NotFound
from app.models.accounts import User, VerificationLevel
from app.models.analysis import ConsultationDocument
from app.models.consultations import Consultation, ModerationMode, Phase, Question, Theme
from app.models.participation import Contribution, Kind, Response
from app.text import render_markdown

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOCUMENT_LINE = re.compile(r"^(?P<title>.+?)\s*\|\s*(?P<url>https?://\S+)$")
FIELD_IDS = {
    "theme_id": "theme_id",
    "slug": "slug",
    "title": "title",
    "summary": "summary",
    "introduction": "introduction",
    "documents": "documents",
    "opens_at": "opens_at",
    "closes_at": "closes_at",
    "moderation_mode": "moderation_mode-post",
    "required_level": "required_level-email",
}


@dataclass(frozen=True)
class ConsultationInput:
    theme_id: int
    slug: str
    title: str
    summary: str
    introduction: str
    documents: list[tuple[str, str]]
    opens_at: datetime
    closes_at: datetime
    moderation_mode: str
    required_level: str


def _parse_time(value: str | None) -> datetime | None:
    """A ``datetime-local`` value (``2026-03-03T09:00``), read as UTC."""
    try:
        parsed = datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_documents(text: str | None) -> tuple[list[tuple[str, str]], str | None]:
    documents, bad = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = DOCUMENT_LINE.match(line)
        if match is None or len(match["title"]) > 200 or len(match["url"]) > 500:
            bad.append(str(number))
            continue
        documents.append((match["title"].strip(), match["url"]))
    if bad:
        return documents, (
            "Write each document as “Title | https://address” on its own line "
            f"(see line {', '.join(bad)})."
        )
    return documents, None


def format_documents(documents: list[ConsultationDocument]) -> str:
    return "\n".join(f"{d.title} | {d.url}" for d in documents)


def parse_consultation(
    session: Session, values: dict[str, str | None], *, existing: Consultation | None = None
) -> ConsultationInput:
    """Validate the consultation form; raise FormInvalid with every problem at once."""
    errors: dict[str, str] = {}
    v = {k: (values.get(k) or "").strip() for k in FIELD_IDS}
    theme = session.get(Theme, int(v["theme_id"])) if v["theme_id"].isdigit() else None
    if theme is None:
        errors["theme_id"] = "Choose the theme this consultation belongs to."
    if not SLUG.match(v["slug"]) or len(v["slug"]) > 120:
        errors["slug"] = (
            "Use lower-case letters, digits and single hyphens for the address, "
            "e.g. social-media-guidelines."
        )
    else:
        taken = session.exec(select(Consultation.id).where(Consultation.slug == v["slug"])).first()
        if taken is not None and (existing is None or taken != existing.id):
            errors["slug"] = "Another consultation already has this address."
    if not v["title"] or len(v["title"]) > 200:
        errors["title"] = "Enter a title of at most 200 characters."
    if len(v["summary"]) > 400:
        errors["summary"] = "The summary is at most 400 characters."
    if len(v["introduction"]) > 20000:
        errors["introduction"] = "The introduction is at most 20,000 characters."
    documents, problem = parse_documents(v["documents"])
    if problem:
        errors["documents"] = problem
    opens, closes = _parse_time(v["opens_at"]), _parse_time(v["closes_at"])
    if opens is None:
        errors["opens_at"] = "Enter the opening date and time."
    if closes is None:
        errors["closes_at"] = "Enter the closing date and time."
    elif opens is not None and closes <= opens:
        errors["closes_at"] = "The closing time must be after the opening time."
    if v["moderation_mode"] not in {m.value for m in ModerationMode}:
        errors["moderation_mode"] = "Choose whether posts are checked before or after they appear."
    if v["required_level"] not in (VerificationLevel.email, VerificationLevel.identity):
        errors["required_level"] = "Choose the verification a respondent needs."
    if errors:
        raise FormInvalid(errors)
    return ConsultationInput(
        theme_id=theme.id,
        slug=v["slug"],
        title=v["title"],
        summary=v["summary"],
        introduction=v["introduction"],
        documents=documents,
        opens_at=opens,
        closes_at=closes,
        moderation_mode=v["moderation_mode"],
        required_level=v["required_level"],
    )


def _save_documents(
    session: Session, consultation: Consultation, documents: list[tuple[str, str]]
) -> None:
    session.execute(
        delete(ConsultationDocument).where(ConsultationDocument.consultation_id == consultation.id)
    )
    for position, (title, url) in enumerate(documents, start=1):
        session.add(
            ConsultationDocument(
                consultation_id=consultation.id, position=position, title=title, url=url
            )
        )
    session.flush()


def create_draft(
    session: Session, *, values: dict[str, str | None], organiser: User, now: datetime
) -> Consultation:
    data = parse_consultation(session, values)
    theme = session.get(Theme, data.theme_id)
    consultation = consultations.create_consultation(
        session,
        theme=theme,
        slug=data.slug,
        title=data.title,
        summary=data.summary,
        introduction=data.introduction,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        questions=[],
        is_published=False,
        required_level=data.required_level,
        moderation_mode=data.moderation_mode,
        now=now,
    )
    _save_documents(session, consultation, data.documents)
    audit.record(
        session,
        actor_id=organiser.id,
        action="consultation.create",
        subject_type="consultation",
        subject_id=consultation.id,
        now=now,
    )
    return consultation


def update_consultation(
    session: Session,
    *,
    consultation: Consultation,
    values: dict[str, str | None],
    organiser: User,
    now: datetime,
) -> Consultation:
    data = parse_consultation(session, values, existing=consultation)
    if consultation.is_published and data.slug != consultation.slug:
        raise FormInvalid(
            {
                "slug": "A published consultation keeps its address: links to it "
                "are already out there."
            }
        )
    for name in (
        "theme_id",
        "slug",
        "title",
        "summary",
        "introduction",
        "opens_at",
        "closes_at",
        "moderation_mode",
        "required_level",
    ):
        setattr(consultation, name, getattr(data, name))
    consultation.introduction_html = render_markdown(data.introduction)
    session.add(consultation)
    _save_documents(session, consultation, data.documents)
    audit.record(
        session,
        actor_id=organiser.id,
        action="consultation.update",
        subject_type="consultation",
        subject_id=consultation.id,
        now=now,
    )
    return consultation


def documents_of(session: Session, consultation: Consultation) -> list[ConsultationDocument]:
    return list(
        session.exec(
            select(ConsultationDocument)
            .where(ConsultationDocument.consultation_id == consultation.id)
            .order_by(ConsultationDocument.position)
        )
    )


# Questions -----------------------------------------------------------------------------------


def answer_count(session: Session, consultation: Consultation) -> int:
    return session.exec(
        select(func.count())
        .select_from(Contribution)
        .join(Question, col(Question.id) == Contribution.question_id)
        .where(Question.consultation_id == consultation.id, Contribution.kind == Kind.answer)
    ).one()


def question_lock(session: Session, consultation: Consultation) -> str | None:
    """Why the questions can no longer be changed, or None while they can."""
    answers = answer_count(session, consultation)
    if answers:
        return (
            f"The questions can no longer be changed: {answers:,} answers have been "
            "received to them as they are worded, and changing a question would change what "
            "those answers mean. If a question must change, close this consultation and run "
            "a new one."
        )
    if consultation.is_published:
        return (
            "The questions can no longer be changed: the consultation is published, so "
            "people may already be preparing their answers to the questions as they are."
        )
    return None


def _ensure_editable(session: Session, consultation: Consultation) -> None:
    reason = question_lock(session, consultation)
    if reason:
        raise Conflict(reason)


def _question_values(values: dict[str, str | None]) -> tuple[str, str, str]:
    text = (values.get("text") or "").strip()
    guidance = (values.get("guidance") or "").strip()
    prompt = (
        values.get("stance_prompt") or ""
    ).strip() or "Do you agree with the proposed approach?"
    errors = {}
    if not text or len(text) > 1000:
        errors["text"] = "Enter the question, at most 1,000 characters."
    if len(guidance) > 2000:
        errors["guidance"] = "Guidance is at most 2,000 characters."
    if len(prompt) > 300:
        errors["stance_prompt"] = "The stance prompt is at most 300 characters."
    if errors:
        raise FormInvalid(errors)
    return text, guidance, prompt


def add_question(
    session: Session, *, consultation: Consultation, values: dict[str, str | None]
) -> Question:
    _ensure_editable(session, consultation)
    text, guidance, prompt = _question_values(values)
    last = (
        session.exec(
            select(func.max(Question.position)).where(Question.consultation_id == consultation.id)
        ).one()
        or 0
    )
    question = Question(
        consultation_id=consultation.id,
        position=last + 1,
        text=text,
        guidance=guidance,
        stance_prompt=prompt,
    )
    session.add(question)
    session.flush()
    return question


def edit_question(
    session: Session, *, consultation: Consultation, number: int, values: dict[str, str | None]
) -> Question:
    _ensure_editable(session, consultation)
    question = consultations.get_question(session, consultation, number)
    question.text, question.guidance, question.stance_prompt = _question_values(values)
    session.add(question)
    session.flush()
    return question


def move_question(
    session: Session, *, consultation: Consultation, number: int, direction: str
) -> Question:
    """Swap a question with the one above (``up``) or below (``down``)."""
    _ensure_editable(session, consultation)
    question = consultations.get_question(session, consultation, number)
    other_number = number - 1 if direction == "up" else number + 1
    try:
        other = consultations.get_question(session, consultation, other_number)
    except NotFound:
        raise Conflict("That question is already at the end of the list.") from None
    # Through a free position, so the (consultation, position) constraint always holds.
    session.execute(update(Question).where(Question.id == question.id).values(position=-1))
    session.execute(update(Question).where(Question.id == other.id).values(position=number))
    session.execute(
        update(Question).where(Question.id == question.id).values(position=other_number)
    )
    session.flush()
    session.expire(question)
    session.expire(other)
    return question


def remove_question(session: Session, *, consultation: Consultation, number: int) -> None:
    _ensure_editable(session, consultation)
    question = consultations.get_question(session, consultation, number)
    session.delete(question)
    session.flush()
    later = session.exec(
        select(Question)
        .where(Question.consultation_id == consultation.id, Question.position > number)
        .order_by(Question.position)
    ).all()
    for q in later:
        session.execute(update(Question).where(Question.id == q.id).values(position=q.position - 1))
    session.flush()


# Publishing and closing ----------------------------------------------------------------------


def publish(
    session: Session, *, consultation: Consultation, organiser: User, now: datetime
) -> Consultation:
    if consultation.is_published:
        raise Conflict("This consultation is already published.")
    if not consultations.question_count(session, consultation):
        raise Conflict("Add at least one question before publishing.")
    if consultation.effective_closes_at <= now:
        raise Conflict("The closing time has passed: move it later before publishing.")
    consultation.is_published = True
    session.add(consultation)
    audit.record(
        session,
        actor_id=organiser.id,
        action="consultation.publish",
        subject_type="consultation",
        subject_id=consultation.id,
        now=now,
    )
    session.flush()
    return consultation


def close_early(
    session: Session, *, consultation: Consultation, organiser: User, now: datetime
) -> Consultation:
    if not consultation.is_published or consultation.phase_at(now) is not Phase.open:
        raise Conflict("Only an open consultation can be closed early.")
    consultation.closed_early_at = now
    session.add(consultation)
    audit.record(
        session,
        actor_id=organiser.id,
        action="consultation.close_early",
        subject_type="consultation",
        subject_id=consultation.id,
        now=now,
    )
    session.flush()
    return consultation


# Lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationLine:
    consultation: Consultation
    status: str
    respondents: int


@dataclass(frozen=True)
class ConsultationList:
    items: list[ConsultationLine]
    page: int
    pages: int


def status_of(consultation: Consultation, now: datetime) -> str:
    return consultation.phase_at(now).value if consultation.is_published else "draft"


def consultation_list(
    session: Session, *, page: int, per_page: int, now: datetime
) -> ConsultationList:
    total = session.exec(select(func.count()).select_from(Consultation)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    respondents = (
        select(func.count())
        .select_from(Response)
        .where(Response.consultation_id == Consultation.id)
        .scalar_subquery()
    )
    rows = session.exec(
        select(Consultation, respondents)
        .order_by(col(Consultation.created_at).desc(), col(Consultation.id).desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return ConsultationList(
        items=[ConsultationLine(c, status_of(c, now), n) for c, n in rows], page=page, pages=pages
    )


def consultation_values(
    consultation: Consultation, documents: list[ConsultationDocument]
) -> dict[str, str]:
    """The edit form's values for an existing consultation."""
    return {
        "theme_id": str(consultation.theme_id),
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "introduction": consultation.introduction,
        "documents": format_documents(documents),
        "opens_at": consultation.opens_at.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": consultation.closes_at.strftime("%Y-%m-%dT%H:%M"),
        "moderation_mode": consultation.moderation_mode,
        "required_level": consultation.required_level,
    }
