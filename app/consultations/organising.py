"""Running consultations: organisers create and edit them, publish them and close them early."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete
from sqlmodel import Session, col, select

from app.accounts.models import User, VerificationLevel
from app.audit import log as audit
from app.consultations import catalogue, organising
from app.consultations.models import (
    Consultation,
    ConsultationDocument,
    ModerationMode,
    Phase,
    Question,
    Theme,
)
from app.participation.text import render_markdown
from kernel import i18n, localtime
from kernel.errors import Conflict, FormInvalid, NotFound
from kernel.ids import parse_id
from kernel.rows import transition
from kernel.text import clean

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The fields of the consultation form that may hold line breaks.
MULTI_LINE = frozenset(
    {"summary", "introduction", "documents", "postal_address", "summary_cy", "introduction_cy"}
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Who runs the consultation and how to reach them (also the other ways to respond).
CONTACT_FIELDS = ("organiser_name", "contact_email", "postal_address")

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
    "organiser_name": "organiser_name",
    "contact_email": "contact_email",
    "postal_address": "postal_address",
    "title_cy": "title_cy",
    "summary_cy": "summary_cy",
    "introduction_cy": "introduction_cy",
    "content_note": "content_note",
    "content_note_cy": "content_note_cy",
}

# Welsh beside English, and the content note: (field, most characters). Empty is allowed.
OPTIONAL_TEXTS = (
    ("title_cy", 200),
    ("summary_cy", 400),
    ("introduction_cy", 20000),
    ("content_note", 300),
    ("content_note_cy", 300),
)


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
    organiser_name: str = ""
    contact_email: str = ""
    postal_address: str = ""
    title_cy: str = ""
    summary_cy: str = ""
    introduction_cy: str = ""
    content_note: str = ""
    content_note_cy: str = ""


def _parse_contact(errors: dict[str, str], v: dict[str, str]) -> None:
    if len(v["organiser_name"]) > 200:
        errors["organiser_name"] = i18n._("The organisation's name is at most 200 characters.")
    email = v["contact_email"]
    if email and (len(email) > 254 or not EMAIL.match(email)):
        errors["contact_email"] = i18n._(
            "Enter an e-mail address like consultations@example.gov.uk."
        )
    if len(v["postal_address"]) > 500:
        errors["postal_address"] = i18n._("The postal address is at most 500 characters.")


def _parse_time(
    errors: dict[str, str], field: str, value: str | None, missing: str
) -> datetime | None:
    """A ``datetime-local`` value (``2027-03-31T23:59``) read in the site's time zone (UK time
    by default), as UTC; a problem goes into ``errors`` beside its field."""
    if not (value or "").strip():
        errors[field] = missing
        return None
    try:
        return localtime.current().parse(value)
    except localtime.LocalTimeError as error:
        errors[field] = str(error)
        return None


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
        return documents, i18n._(
            "Write each document as “Title | https://address” on its own line (see line {lines}).",
            lines=", ".join(bad),
        )
    return documents, None


def parse_consultation(
    session: Session, values: dict[str, str | None], *, existing: Consultation | None = None
) -> ConsultationInput:
    """Validate the consultation form; raise FormInvalid with every problem at once."""
    errors: dict[str, str] = {}
    v = {k: clean(values.get(k), single_line=k not in MULTI_LINE) for k in FIELD_IDS}
    theme_id = parse_id(v["theme_id"])
    theme = session.get(Theme, theme_id) if theme_id is not None else None
    kept = existing is not None and theme is not None and existing.theme_id == theme.id
    if theme is not None and theme.retired_at is not None and not kept:
        errors["theme_id"] = i18n._(
            "The theme “{name}” is retired: choose another.", name=theme.name
        )
    if theme is None:
        errors["theme_id"] = i18n._("Choose the theme this consultation belongs to.")
    if not SLUG.match(v["slug"]) or len(v["slug"]) > 120:
        errors["slug"] = i18n._(
            "Use lower-case letters, digits and single hyphens for the address, "
            "e.g. social-media-guidelines."
        )
    else:
        taken = session.exec(select(Consultation.id).where(Consultation.slug == v["slug"])).first()
        if taken is not None and (existing is None or taken != existing.id):
            errors["slug"] = i18n._("Another consultation already has this address.")
    if not v["title"] or len(v["title"]) > 200:
        errors["title"] = i18n._("Enter a title of at most 200 characters.")
    if len(v["summary"]) > 400:
        errors["summary"] = i18n._("The summary is at most 400 characters.")
    if len(v["introduction"]) > 20000:
        errors["introduction"] = i18n._("The introduction is at most 20,000 characters.")
    documents, problem = parse_documents(v["documents"])
    if problem:
        errors["documents"] = problem
    for name, most in OPTIONAL_TEXTS:
        if len(v[name]) > most:
            errors[name] = i18n._(
                "This is at most {most} characters (it is {length}).",
                most=i18n.number(most),
                length=i18n.number(len(v[name])),
            )
    opens = _parse_time(
        errors, "opens_at", v["opens_at"], i18n._("Enter the opening date and time.")
    )
    closes = _parse_time(
        errors, "closes_at", v["closes_at"], i18n._("Enter the closing date and time.")
    )
    if opens is not None and closes is not None and closes <= opens:
        errors["closes_at"] = i18n._("The closing time must be after the opening time.")
    if v["moderation_mode"] not in {m.value for m in ModerationMode}:
        errors["moderation_mode"] = i18n._(
            "Choose whether posts are checked before or after they appear."
        )
    if v["required_level"] not in (VerificationLevel.email, VerificationLevel.identity):
        errors["required_level"] = i18n._("Choose the verification a respondent needs.")
    _parse_contact(errors, v)
    if errors or theme is None or opens is None or closes is None:
        raise FormInvalid(errors)
    assert theme.id is not None, "a stored theme"
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
        organiser_name=v["organiser_name"],
        contact_email=v["contact_email"],
        postal_address=v["postal_address"],
        **{name: v[name] for name, _most in OPTIONAL_TEXTS},
    )


def _save_documents(
    session: Session, consultation: Consultation, documents: list[tuple[str, str]]
) -> None:
    assert consultation.id is not None, "a stored consultation"
    session.execute(
        delete(ConsultationDocument).where(
            col(ConsultationDocument.consultation_id) == consultation.id
        )
    )
    for position, (title, url) in enumerate(documents, start=1):
        session.add(
            ConsultationDocument(
                consultation_id=consultation.id, position=position, title=title, url=url
            )
        )
    session.flush()


def _record(
    session: Session, action: str, *, consultation: Consultation, organiser: User, now: datetime
) -> None:
    """The audit entry of an organiser's ``action`` on a stored consultation."""
    assert consultation.id is not None, "a stored consultation"
    audit.record(
        session,
        actor_id=organiser.id,
        action=f"consultation.{action}",
        subject_type="consultation",
        subject_id=consultation.id,
        now=now,
    )


def _set_optional_texts(consultation: Consultation, data: ConsultationInput) -> None:
    """The Welsh title, summary and introduction and the content notes, as typed."""
    for name, _most in OPTIONAL_TEXTS:
        setattr(consultation, name, getattr(data, name))
    consultation.introduction_cy_html = (
        render_markdown(data.introduction_cy) if data.introduction_cy else ""
    )


def create_draft(
    session: Session, *, values: dict[str, str | None], organiser: User, now: datetime
) -> Consultation:
    data = parse_consultation(session, values)
    theme = session.get(Theme, data.theme_id)
    if theme is None:
        raise NotFound(i18n._("There is no such theme."))
    consultation = organising.create_consultation(
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
    for name in CONTACT_FIELDS:
        setattr(consultation, name, getattr(data, name))
    _set_optional_texts(consultation, data)
    session.add(consultation)
    _save_documents(session, consultation, data.documents)
    _record(session, "create", consultation=consultation, organiser=organiser, now=now)
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
                "slug": i18n._(
                    "A published consultation keeps its address: links to it are already out there."
                )
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
        *CONTACT_FIELDS,
    ):
        setattr(consultation, name, getattr(data, name))
    consultation.introduction_html = render_markdown(data.introduction)
    _set_optional_texts(consultation, data)
    session.add(consultation)
    _save_documents(session, consultation, data.documents)
    _record(session, "update", consultation=consultation, organiser=organiser, now=now)
    return consultation


def publish(
    session: Session, *, consultation: Consultation, organiser: User, now: datetime
) -> Consultation:
    if consultation.is_published:
        raise Conflict(i18n._("This consultation is already published."))
    if not catalogue.question_count(session, consultation):
        raise Conflict(i18n._("Add at least one question before publishing."))
    if consultation.effective_closes_at <= now:
        raise Conflict(i18n._("The closing time has passed: move it later before publishing."))
    return _change_state(
        session,
        consultation,
        "publish",
        when=col(Consultation.is_published).is_(False),
        values={"is_published": True},
        refused=i18n._("This consultation was published a moment ago."),
        organiser=organiser,
        now=now,
    )


def close_early(
    session: Session, *, consultation: Consultation, organiser: User, now: datetime
) -> Consultation:
    if not consultation.is_published or consultation.phase_at(now) is not Phase.open:
        raise Conflict(i18n._("Only an open consultation can be closed early."))
    return _change_state(
        session,
        consultation,
        "close_early",
        when=col(Consultation.closed_early_at).is_(None),
        values={"closed_early_at": now},
        refused=i18n._("This consultation was closed a moment ago."),
        organiser=organiser,
        now=now,
    )


def _change_state(
    session: Session,
    consultation: Consultation,
    action: str,
    *,
    when: ColumnElement[bool],
    values: dict[str, object],
    refused: str,
    organiser: User,
    now: datetime,
) -> Consultation:
    """An organiser's change to the state of a consultation, made only if it still holds
    ``when`` (of two organisers at once, one makes it and the other gets 409 ``refused``),
    with its audit entry."""
    assert consultation.id is not None, "a stored consultation"
    transition(
        session,
        Consultation,
        consultation.id,
        when=[when],
        values=values,
        refused=Conflict(refused),
    )
    _record(session, action, consultation=consultation, organiser=organiser, now=now)
    session.flush()
    return consultation


# Themes and consultations, as the forms below, the demo and the benchmarks create them -----


@dataclass(frozen=True)
class NewQuestion:
    text: str
    guidance: str = ""
    stance_prompt: str = "Do you agree with the proposed approach?"


def create_consultation(
    session: Session,
    *,
    theme: Theme,
    slug: str,
    title: str,
    summary: str,
    introduction: str,
    opens_at: datetime,
    closes_at: datetime,
    questions: list[NewQuestion],
    is_published: bool = True,
    required_level: str = "email",
    moderation_mode: str = "post",
    now: datetime,
) -> Consultation:
    if closes_at <= opens_at:
        raise FormInvalid({"closes_at": i18n._("The closing time must be after the opening time.")})
    assert theme.id is not None, "a stored theme"
    consultation = Consultation(
        theme_id=theme.id,
        slug=slug,
        title=title,
        summary=summary,
        introduction=introduction,
        introduction_html=render_markdown(introduction),
        opens_at=opens_at,
        closes_at=closes_at,
        is_published=is_published,
        required_level=required_level,
        moderation_mode=moderation_mode,
        created_at=now,
    )
    session.add(consultation)
    session.flush()
    assert consultation.id is not None, "flushed, so it has its id"
    for position, question in enumerate(questions, start=1):
        session.add(
            Question(
                consultation_id=consultation.id,
                position=position,
                text=question.text,
                guidance=question.guidance,
                stance_prompt=question.stance_prompt,
            )
        )
    session.flush()
    return consultation


def create_theme(
    session: Session, *, slug: str, name: str, description: str = "", position: int = 0
) -> Theme:
    theme = Theme(
        slug=clean(slug, single_line=True),
        name=clean(name, single_line=True),
        description=clean(description),
        position=position,
    )
    session.add(theme)
    session.flush()
    return theme
