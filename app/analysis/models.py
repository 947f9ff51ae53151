"""Analysis: coded evaluations and tags of answers, campaign groups, imports, the outcome.

Nothing here identifies a person: coders are account ids, imported respondents are the
organiser's own reference for a letter or an e-mail.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel, col

from app.participation.models import Contribution, Response
from kernel.clock import utcnow
from kernel.tables import UTCDateTime


class Evaluation(StrEnum):
    """The analyst's overall evaluation of one answer (the Annex A categories)."""

    positive = "positive"  # suggests the proposal is likely to be helpful
    negative = "negative"  # needs significant change, or the focus is wrong
    neutral = "neutral"  # includes suggested revisions

    @property
    def label(self) -> str:
        return self.value.capitalize()


class AnswerCoding(SQLModel, table=True):
    """The coded evaluation of one answer: who coded it and when (the latest coding wins).

    The evaluation is also kept on the answer itself (``contribution.evaluation``, written in
    the same transaction by ``app.analysis.coding`` only), so that Annex A is one grouped scan
    of an index instead of a join.
    """

    __tablename__ = "answer_coding"
    __table_args__ = (Index("ix_answer_coding_question_evaluation", "question_id", "evaluation"),)

    contribution_id: int = Field(
        primary_key=True, foreign_key="contribution.id", ondelete="CASCADE"
    )
    question_id: int = Field(foreign_key="question.id", ondelete="CASCADE")
    evaluation: str = Field(max_length=10)
    coded_by_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    coded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    via_campaign_group_id: int | None = Field(default=None)


class CodebookTag(SQLModel, table=True):
    """A tag of a consultation's codebook (e.g. "wants more examples")."""

    __tablename__ = "codebook_tag"
    __table_args__ = (UniqueConstraint("consultation_id", "label"),)

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    label: str = Field(max_length=80)
    description: str = Field(default="", max_length=300)
    # Set for a theme of one question accepted from the suggestions (app.analysis.themes).
    question_id: int | None = Field(
        default=None, foreign_key="question.id", index=True, ondelete="CASCADE"
    )


class AnswerTag(SQLModel, table=True):
    __tablename__ = "answer_tag"

    contribution_id: int = Field(
        primary_key=True, foreign_key="contribution.id", ondelete="CASCADE"
    )
    tag_id: int = Field(
        primary_key=True, foreign_key="codebook_tag.id", ondelete="CASCADE", index=True
    )


class CampaignGroup(SQLModel, table=True):
    """Answers to one question that are the same or nearly the same text (a campaign)."""

    __tablename__ = "campaign_group"

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    representative_id: int = Field(foreign_key="contribution.id", ondelete="CASCADE")
    size: int
    detected_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CampaignMember(SQLModel, table=True):
    __tablename__ = "campaign_member"
    __table_args__ = (
        Index("ix_campaign_member_consultation_response", "consultation_id", "response_id"),
    )

    contribution_id: int = Field(
        primary_key=True, foreign_key="contribution.id", ondelete="CASCADE"
    )
    group_id: int = Field(foreign_key="campaign_group.id", index=True, ondelete="CASCADE")
    consultation_id: int = Field(foreign_key="consultation.id", ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    response_id: int = Field(foreign_key="response.id", ondelete="CASCADE")


class ResponseImport(SQLModel, table=True):
    """One imported file of off-site responses; its hash makes a second import a no-op."""

    __tablename__ = "response_import"
    __table_args__ = (UniqueConstraint("consultation_id", "file_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    file_sha256: str = Field(max_length=64)
    filename: str = Field(max_length=200)
    row_count: int
    imported_by_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ImportedResponse(SQLModel, table=True):
    """An off-site response and the organiser's reference for it (unique per consultation)."""

    __tablename__ = "imported_response"
    __table_args__ = (UniqueConstraint("consultation_id", "reference"),)

    response_id: int = Field(primary_key=True, foreign_key="response.id", ondelete="CASCADE")
    import_id: int = Field(foreign_key="response_import.id", index=True, ondelete="CASCADE")
    consultation_id: int = Field(foreign_key="consultation.id", ondelete="CASCADE")
    reference: str = Field(max_length=80)


class QuestionOutcome(SQLModel, table=True):
    """What the organiser writes for one question in the summary of responses."""

    __tablename__ = "question_outcome"

    question_id: int = Field(primary_key=True, foreign_key="question.id", ondelete="CASCADE")
    main_points: str = Field(default="", sa_type=Text)
    what_we_changed: str = Field(default="", sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ConsultationOutcome(SQLModel, table=True):
    """The summary of responses: its general text and when it was published.

    Respondents are told by e-mail in batches after publication: ``notify_cursor`` is the
    last response whose respondent's message is queued (in the batch's own transaction, so a
    crash resumes after it), ``notified_count`` how many were queued, and ``notified_at``
    when the last batch was."""

    __tablename__ = "consultation_outcome"

    consultation_id: int = Field(
        primary_key=True, foreign_key="consultation.id", ondelete="CASCADE"
    )
    method: str = Field(default="", sa_type=Text)
    what_we_changed: str = Field(default="", sa_type=Text)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    notify_cursor: int | None = Field(default=None)
    notified_count: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# Annex A reads only these columns of an answer and groups by them in this order
# (``app.analysis.tallies``), so the tally is a scan of this index alone (no visit to the
# table's rows, no sort).
TALLY_INDEX_COLUMNS = (
    col(Contribution.question_id),
    col(Contribution.kind),
    col(Contribution.state),
    col(Contribution.stance),
    col(Contribution.evaluation),
    col(Contribution.is_public),
)
Index("ix_contribution_tally", *TALLY_INDEX_COLUMNS)


# Respondents per consultation, split by type, without reading response rows.
Index(
    "ix_response_tally",
    col(Response.consultation_id),
    col(Response.respondent_type),
    col(Response.respondent_id),
)


# Themes (app.analysis.themes) ----------------------------------------------------------------


class ThemeRunState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class ThemeRun(SQLModel, table=True):
    """One run of theme finding for one question: written by the page (queued), performed by
    the worker or the CLI in batches, its progress read by the page.

    At most one run per question is queued or running at a time (a partial unique index)."""

    __tablename__ = "theme_run"
    __table_args__ = (
        Index(
            "uq_theme_run_active",
            "question_id",
            unique=True,
            sqlite_where=text("state IN ('queued', 'running')"),
            postgresql_where=text("state IN ('queued', 'running')"),
        ),
        Index("ix_theme_run_state_requested", "state", "requested_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    state: str = Field(default=ThemeRunState.queued, max_length=10)
    stage: str = Field(default="", max_length=40)
    processed: int = Field(default=0)  # answers read and embedded so far
    total: int = Field(default=0)  # answers to read
    items: int = Field(default=0)  # texts themed: each campaign group once
    themes_found: int = Field(default=0)
    other_count: int = Field(default=0)
    error: str = Field(default="", max_length=500)
    attempts: int = Field(default=0)
    requested_by_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SuggestionState(StrEnum):
    suggested = "suggested"  # waiting for an analyst
    accepted = "accepted"  # a codebook tag now (``tag_id``)
    other = "other"  # the answers that fit no theme (one per question)


class ThemeSuggestion(SQLModel, table=True):
    """A suggested theme of one question, or the question's "other" answers.

    Rejected and merged suggestions are deleted (their answers go to "other" or to the theme
    they were merged into); accepted ones are kept, so that re-running keeps them."""

    __tablename__ = "theme_suggestion"

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    run_id: int | None = Field(default=None, foreign_key="theme_run.id", ondelete="SET NULL")
    state: str = Field(default=SuggestionState.suggested, max_length=10)
    label: str = Field(max_length=120)
    phrases: str = Field(default="[]", sa_type=Text)  # JSON list of the most telling phrases
    position: int = Field(default=0)  # order found (largest first)
    tag_id: int | None = Field(default=None, foreign_key="codebook_tag.id", ondelete="SET NULL")
    version: int = Field(default=1)  # bumped by every review action (conditional updates)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ThemeAnswer(SQLModel, table=True):
    """An answer's place in one suggestion: each answer is in at most one (the primary key).

    ``rank`` orders a theme's answers from the most typical (0) outwards; quotations are the
    first published ones."""

    __tablename__ = "theme_answer"
    __table_args__ = (Index("ix_theme_answer_suggestion_rank", "suggestion_id", "rank"),)

    contribution_id: int = Field(
        primary_key=True, foreign_key="contribution.id", ondelete="CASCADE"
    )
    suggestion_id: int = Field(foreign_key="theme_suggestion.id", ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    rank: int = Field(default=0)


# Second coding (app.analysis.assurance) ------------------------------------------------------


class SecondCodingRequest(SQLModel, table=True):
    """A blind second coding of a sample of one question's coded answers by another analyst."""

    __tablename__ = "second_coding_request"

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", unique=True, ondelete="CASCADE")
    coder_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    requested_by_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    sample_size: int
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SecondCoding(SQLModel, table=True):
    """One sampled answer: the first evaluation as it was when sampled, the second coder's
    (blind) evaluation, and where they differ the value a third analyst settled on."""

    __tablename__ = "second_coding"
    __table_args__ = (Index("ix_second_coding_request_coded", "request_id", "second_evaluation"),)

    contribution_id: int = Field(
        primary_key=True, foreign_key="contribution.id", ondelete="CASCADE"
    )
    request_id: int = Field(foreign_key="second_coding_request.id", ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    first_evaluation: str = Field(max_length=10)
    first_coder_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    second_evaluation: str | None = Field(default=None, max_length=10)
    second_coded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    settled_evaluation: str | None = Field(default=None, max_length=10)
    settled_by_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
