"""Rate-limit counters shared by every app process (the ``limits`` library's storage)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from kernel.tables import UTCDateTime


class RateLimitCounter(SQLModel, table=True):
    __tablename__ = "rate_limit_counter"

    key: str = Field(primary_key=True, max_length=255)
    count: int = Field(default=0)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
