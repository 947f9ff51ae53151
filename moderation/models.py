"""The moderation tables, on the shared ``SQLModel.metadata``.

Foreign keys name other domains' tables by name ("account", "contribution", "consultation"),
so this module never imports ``app``. Every reference to an account or a post is
``ON DELETE SET NULL``: a case, its decisions and its evidence outlive the post and the
account they are about. Evidence snapshots hold no foreign key to the post at all.

Timestamps are ``TIMESTAMP WITH TIME ZONE`` in UTC; SQLite keeps no zone, so ``UTCDateTime``
(from ``kernel.tables``, shared with ``app``) reads naive values back as UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Index, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from kernel.clock import utcnow
from kernel.tables import UTCDateTime


def _account_fk(*, index: bool = False) -> Any:
    """An optional reference to an account that outlives it (``ON DELETE SET NULL``); ``Any``
    like ``Field`` itself, so that it can stand for any column's default."""
    return Field(default=None, foreign_key="account.id", ondelete="SET NULL", index=index)


class _Stored(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(row: _Stored) -> int:
    """The primary key of a row the database has given one (read back, or added and flushed).

    ``id`` is ``None`` only before the first flush: asking for it then is a mistake."""
    if row.id is None:
        raise RuntimeError(f"this {type(row).__name__} has no id yet: flush it first")
    return row.id


class ModerationCase(SQLModel, table=True):
    """One case per post, however many reports. ``version`` rises with every change."""

    __tablename__ = "moderation_case"

    id: int | None = Field(default=None, primary_key=True)
    contribution_id: int | None = Field(
        default=None, foreign_key="contribution.id", ondelete="SET NULL", unique=True
    )
    consultation_id: int | None = Field(
        default=None, foreign_key="consultation.id", ondelete="SET NULL", index=True
    )
    author_id: int | None = _account_fk(index=True)
    state: str = Field(max_length=12)
    reason: str | None = Field(default=None, max_length=30)  # the most severe reported reason
    severity_band: int
    priority_score: int = Field(default=0)
    source: str = Field(default="report", max_length=20)  # report, watch_hold, watch_flag, pre
    automation_involved: bool = Field(default=False)
    first_reported_at: datetime = Field(sa_type=UTCDateTime)
    last_reported_at: datetime = Field(sa_type=UTCDateTime)
    report_count: int = Field(default=0)
    version: int = Field(default=1)
    claimed_by: int | None = _account_fk()
    claim_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    post_deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# The Core table behind ``ModerationCase`` (its ``__table__``, which SQLModel's types do not
# declare), for the services' conditional ``UPDATE``s and the queue's index scans.
CASE_TABLE: Table = SQLModel.metadata.tables[ModerationCase.__tablename__]
# The queue's order (see ``priority``): the first page of the queue is an index scan.
Index(
    "ix_moderation_case_queue",
    CASE_TABLE.c.state,
    CASE_TABLE.c.severity_band,
    CASE_TABLE.c.priority_score.desc(),
    CASE_TABLE.c.first_reported_at,
    CASE_TABLE.c.id,
)


class Report(SQLModel, table=True):
    """One person's report of one post. ``reference`` is the unguessable receipt number."""

    __tablename__ = "moderation_report"
    __table_args__ = (UniqueConstraint("case_id", "reporter_id"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32, unique=True)
    case_id: int = Field(foreign_key="moderation_case.id", index=True)
    reporter_id: int | None = _account_fk(index=True)
    reason: str = Field(max_length=30)
    is_about_reporter: bool = Field(default=False)
    note: str = Field(default="", sa_type=Text)
    outcome: str = Field(default="pending", max_length=12)  # pending, upheld, dismissed
    created_at: datetime = Field(sa_type=UTCDateTime)


class Decision(SQLModel, table=True):
    """A moderator's decision with its statement of reasons, made on case version N."""

    __tablename__ = "moderation_decision"
    __table_args__ = (UniqueConstraint("case_id", "case_version"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="moderation_case.id", index=True)
    case_version: int
    moderator_id: int | None = _account_fk(index=True)
    action: str = Field(max_length=20)
    basis: str | None = Field(default=None, max_length=30)  # a ReportReason value
    basis_kind: str | None = Field(default=None, max_length=12)  # law or site_rules
    statement: str = Field(sa_type=Text)
    is_automated: bool = Field(default=False)  # automation held, hid or flagged the post
    suspend_days: int | None = Field(default=None)
    appeal_id: int | None = Field(default=None)  # set when this decision decides an appeal
    seconds_to_decision: int | None = Field(default=None)  # from the first report
    severity_band: int
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)


class Appeal(SQLModel, table=True):
    """One appeal per decision, by the author or a reporter, with a written reason."""

    __tablename__ = "moderation_appeal"

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="moderation_decision.id", unique=True)
    case_id: int = Field(foreign_key="moderation_case.id", index=True)
    appellant_id: int | None = _account_fk(index=True)
    appellant_role: str = Field(max_length=10)  # author or reporter
    reason: str = Field(sa_type=Text)
    outcome: str = Field(default="pending", max_length=12)  # pending, upheld, rejected
    statement: str | None = Field(default=None, sa_type=Text)
    decided_by: int | None = _account_fk()
    created_at: datetime = Field(sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Sanction(SQLModel, table=True):
    """A warning, suspension or exclusion of an account, from a decision."""

    __tablename__ = "moderation_sanction"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = _account_fk(index=True)
    decision_id: int = Field(foreign_key="moderation_decision.id", index=True)
    kind: str = Field(max_length=10)  # warn, suspend, exclude
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class EvidenceSnapshot(SQLModel, table=True):
    """The post as shown when reported (and after each later edit), fingerprinted.

    ``content`` is canonical JSON (sorted keys, UTF-8); ``sha256`` is its digest. No foreign
    key to the post or its author: evidence is kept whatever happens to them.
    """

    __tablename__ = "moderation_evidence"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="moderation_case.id", index=True)
    contribution_id: int | None = Field(default=None, index=True)
    trigger: str = Field(max_length=20)  # first_report, edited, deleted, watch
    content: str = Field(sa_type=Text)
    sha256: str = Field(max_length=64)
    captured_at: datetime = Field(sa_type=UTCDateTime)


class PoliceReferral(SQLModel, table=True):
    __tablename__ = "moderation_referral"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="moderation_case.id", index=True)
    decision_id: int | None = Field(default=None, foreign_key="moderation_decision.id")
    force: str = Field(default="", max_length=120)
    police_reference: str = Field(default="", max_length=80)
    created_by: int | None = _account_fk()
    created_at: datetime = Field(sa_type=UTCDateTime)


class CustodyEntry(SQLModel, table=True):
    """Chain of custody of a referral's evidence: who created, changed or downloaded it."""

    __tablename__ = "moderation_custody"

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="moderation_referral.id", index=True)
    actor_id: int | None = _account_fk()
    action: str = Field(max_length=20)  # created, updated, downloaded
    detail: str = Field(default="", max_length=300)
    occurred_at: datetime = Field(sa_type=UTCDateTime)


class WatchedWord(SQLModel, table=True):
    __tablename__ = "moderation_watched_word"

    id: int | None = Field(default=None, primary_key=True)
    phrase: str = Field(max_length=200)
    action: str = Field(default="flag", max_length=5)  # hold or flag
    created_by: int | None = _account_fk()
    created_at: datetime = Field(sa_type=UTCDateTime)


class Block(SQLModel, table=True):
    """``blocker_id`` no longer sees ``blocked_id``'s posts, and cannot be replied to by them."""

    __tablename__ = "participant_block"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)

    id: int | None = Field(default=None, primary_key=True)
    blocker_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    blocked_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Notice(SQLModel, table=True):
    """An in-site notice to a participant about a case (also sent by e-mail)."""

    __tablename__ = "moderation_notice"

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int | None = Field(
        default=None, foreign_key="account.id", ondelete="CASCADE", index=True
    )
    case_id: int | None = Field(default=None, foreign_key="moderation_case.id")
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# The tables whose rows belong to one case (``case_id``), made in ``id`` order.
CaseRow = TypeVar("CaseRow", Report, Decision, Appeal, EvidenceSnapshot, PoliceReferral)
