"""Themes, consultations and their numbered questions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from kernel import i18n
from kernel.clock import utcnow
from kernel.tables import UTCDateTime


class Stance(StrEnum):
    agree = "agree"
    disagree = "disagree"
    neutral = "neutral"
    not_sure = "not_sure"

    @property
    def label(self) -> str:
        return STANCE_LABELS[self]


STANCE_LABELS = i18n.Labels(
    {
        Stance.agree: i18n.N_("Agree"),
        Stance.disagree: i18n.N_("Disagree"),
        Stance.neutral: i18n.N_("Neutral"),
        Stance.not_sure: i18n.N_("Not sure"),
    }
)


class Phase(StrEnum):
    """Where a published consultation is in time. Drafts have no phase."""

    upcoming = "upcoming"
    open = "open"
    closed = "closed"


class ModerationMode(StrEnum):
    post = "post"  # published at once, reviewed when reported
    pre = "pre"  # every post waits for a moderator's approval


class ThemeBase(SQLModel):
    slug: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=600)
    position: int = Field(default=0)


class Theme(ThemeBase, table=True):
    __table_args__ = (UniqueConstraint("name"),)

    id: int | None = Field(default=None, primary_key=True)
    # A retired theme takes no new consultations; those it has keep it and stay listed.
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ConsultationBase(SQLModel):
    slug: str = Field(max_length=120, unique=True, index=True)
    title: str = Field(max_length=200)
    summary: str = Field(default="", max_length=400)
    introduction: str = Field(default="", sa_type=Text)
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    moderation_mode: str = Field(default=ModerationMode.post, max_length=10)
    required_level: str = Field(default="email", max_length=20)
    # Who runs it and how to reach them; the e-mail and postal addresses are also the other
    # ways to respond (such responses are imported by the organisers).
    organiser_name: str = Field(default="", max_length=200)
    contact_email: str = Field(default="", max_length=254)
    postal_address: str = Field(default="", max_length=500)
    # Welsh beside English (issue 13): empty = shown in English, marked lang="en".
    title_cy: str = Field(default="", max_length=200)
    summary_cy: str = Field(default="", max_length=400)
    introduction_cy: str = Field(default="", sa_type=Text)
    # A content note shown before the questions ("describes domestic abuse"); empty = none.
    content_note: str = Field(default="", max_length=300)
    content_note_cy: str = Field(default="", max_length=300)


class Consultation(ConsultationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", index=True)
    introduction_html: str = Field(default="", sa_type=Text)
    introduction_cy_html: str = Field(default="", sa_type=Text)
    is_published: bool = Field(default=False)
    closed_early_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def effective_closes_at(self) -> datetime:
        return self.closed_early_at or self.closes_at

    def phase_at(self, now: datetime) -> Phase:
        if now < self.opens_at:
            return Phase.upcoming
        if now >= self.effective_closes_at:
            return Phase.closed
        return Phase.open


class QuestionBase(SQLModel):
    text: str = Field(max_length=1000)
    guidance: str = Field(default="", max_length=2000)
    stance_prompt: str = Field(default="Do you agree with the proposed approach?", max_length=300)
    text_cy: str = Field(default="", max_length=1000)
    guidance_cy: str = Field(default="", max_length=2000)
    stance_prompt_cy: str = Field(default="", max_length=300)


class Question(QuestionBase, table=True):
    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("consultation_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    position: int
    # Bumped by database triggers on every change to the question's answers and replies, so a
    # rendered list of them can be cached and checked with one cheap read (see migrations).
    feed_version: int = Field(default=0)


class ConsultationDocument(SQLModel, table=True):
    """A document of a consultation, as a link (the consultation paper, an impact assessment)."""

    __tablename__ = "consultation_document"

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    position: int
    title: str = Field(max_length=200)
    url: str = Field(max_length=500)
