"""Tables of the admin area: the standing pages' versions and the site's details."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from kernel.clock import utcnow
from kernel.tables import UTCDateTime


class StandingPageVersion(SQLModel, table=True):
    """One saved version of a standing page. Versions are never changed or deleted: a page
    is its newest version, and the history shows who changed what and when."""

    __tablename__ = "standing_page_version"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=40)  # the unique (slug, version) index serves look-ups
    version: int
    title: str = Field(max_length=120)
    body: str = Field(sa_type=Text)  # Markdown as the admin wrote it
    body_html: str = Field(sa_type=Text)  # rendered and sanitised (app.participation.text)
    note: str = Field(default="", max_length=300)  # what changed, in the admin's words
    author_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SiteDetails(SQLModel, table=True):
    """The organisation behind the site (one row, id 1): absent until an admin first saves,
    when the shipped defaults (``app/admin/defaults/site.toml``) are shown instead."""

    __tablename__ = "site_details"

    id: int = Field(default=1, primary_key=True)
    organisation_name: str = Field(max_length=200)
    contact_email: str = Field(default="", max_length=254)
    postal_address: str = Field(default="", max_length=500)
    # [{"name": …, "contact": …, "description": …}, …] in the order shown
    support_services: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    version: int = Field(default=1)  # bumped by each save; a save names the version it edited
    updated_by: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
