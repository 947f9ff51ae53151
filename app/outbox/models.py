"""The outbox's tables: queued mail and scheduled jobs.

Neither holds an address or a name. A message names its recipient by account id (or, for a
sign-in link, by the vault's token row, whose address is encrypted there) and its content by a
template and parameters; both are turned into an e-mail only at delivery.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, text
from sqlmodel import Field, SQLModel

from kernel.clock import utcnow
from kernel.tables import UTCDateTime


class MessageState(StrEnum):
    queued = "queued"  # waiting (or being sent: see lease_owner/lease_expires_at)
    sent = "sent"  # accepted by the mail server
    failed = "failed"  # parked after too many attempts; an admin may retry it
    cancelled = "cancelled"  # nothing to send any more (no address, link used or expired)


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        # What a worker claims next: only waiting messages are in this index.
        Index(
            "ix_outbox_message_due",
            "priority",
            "next_attempt_at",
            "id",
            postgresql_where=text("state = 'queued'"),
            sqlite_where=text("state = 'queued'"),
        ),
        Index("ix_outbox_message_state_finished", "state", "finished_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Stable across retries: the Message-ID header is <message_id@sender's domain>, so a
    # message sent twice after a crash can be recognised by the receiving side.
    message_id: str = Field(max_length=64, unique=True)
    template: str = Field(max_length=40)
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    recipient_id: int | None = Field(
        default=None, foreign_key="account.id", index=True, ondelete="SET NULL"
    )
    sign_in_token_id: int | None = Field(
        default=None, foreign_key="vault_sign_in_token.id", index=True, ondelete="SET NULL"
    )
    # At most one message per key (e.g. one outcome notification per respondent).
    dedupe_key: str | None = Field(default=None, max_length=120, unique=True)
    priority: int = Field(default=5)  # lower goes first: sign-in links before bulk mail
    state: str = Field(default=MessageState.queued, max_length=10)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=100)  # after sending: who sent it
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class JobState(StrEnum):
    pending = "pending"  # due at due_at; at most one pending row per (name, key)
    running = "running"  # claimed by lease_owner until lease_expires_at
    retry = "retry"  # failed, due again at due_at
    failed = "failed"  # parked after too many attempts


class ScheduledJob(SQLModel, table=True):
    """One run of a job: periodic housekeeping, or work requested by a domain (regrouping
    campaigns, telling respondents about an outcome). ``key`` says which consultation."""

    __tablename__ = "scheduled_job"
    __table_args__ = (
        # A request for work already pending is the same request (debouncing); a running job
        # is outside the index, so work requested while it runs is not lost.
        Index(
            "uq_scheduled_job_pending",
            "name",
            "key",
            unique=True,
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
        Index("ix_scheduled_job_state_due", "state", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)
    key: str = Field(default="", max_length=40)
    state: str = Field(default=JobState.pending, max_length=10)
    due_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
