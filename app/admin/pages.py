"""Standing pages: about and contact, site rules, terms of use, privacy notice, accessibility
statement. Admins edit them as Markdown; every save is a new version (nothing is overwritten),
and each page says when it was last updated.

Until an admin first saves a page it shows the text Reclaim ships
(``app/admin/defaults/pages/<slug>.md``: a few lines of front matter, then Markdown), with
the date in that file. Markdown is rendered by the site's one sanitising renderer
(``app.participation.text.render_markdown``): no raw HTML, ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.admin.details import Details, site_details
from app.admin.fields import text_field
from app.admin.models import StandingPageVersion
from app.audit import log as audit
from app.participation.text import render_markdown
from kernel import i18n
from kernel.errors import Conflict, FormInvalid, NotFound

DEFAULTS = Path(__file__).resolve().parent / "defaults" / "pages"
BODY_MAX = 50_000


@dataclass(frozen=True)
class PageKind:
    slug: str
    route: str  # the public route's name, also its address without the slash
    path: str
    purpose: str  # for the admins' list


PAGES: dict[str, PageKind] = {
    kind.slug: kind
    for kind in (
        PageKind("about", "about", "/about", "Who runs the site and how to contact them."),
        PageKind("rules", "site_rules", "/site-rules", "What may be posted; reports cite it."),
        PageKind("terms", "terms", "/terms", "The terms on which people use the site."),
        PageKind("privacy", "privacy", "/privacy", "What is kept about people, and why."),
        PageKind(
            "accessibility",
            "accessibility",
            "/accessibility",
            "How accessible the site is (the UK model statement's structure).",
        ),
    )
}


@dataclass(frozen=True)
class StandingPage:
    slug: str
    title: str
    body: str
    html: str
    updated_at: datetime
    version: int  # 0: the text Reclaim ships, never saved here
    author_id: int | None = None
    note: str = ""
    language: str = i18n.DEFAULT_LANGUAGE  # of its text (admins' versions are in English)

    @property
    def is_default(self) -> bool:
        return self.version == 0


def kind_of(slug: str) -> PageKind:
    kind = PAGES.get(slug)
    if kind is None:
        raise NotFound(i18n._("There is no such page."))
    return kind


def default_page(slug: str, language: str | None = None) -> StandingPage:
    """The shipped text of a page in ``language`` (by default the reader's): Welsh from
    ``defaults/pages/cy/``, English otherwise."""
    return _default_page(slug, language or i18n.current_language())


@lru_cache(maxsize=len(PAGES) * len(i18n.LANGUAGES))
def _default_page(slug: str, language: str) -> StandingPage:
    """Front matter (``title:``, ``updated:``) between ``---`` lines, then Markdown."""
    kind_of(slug)
    path = DEFAULTS / f"{slug}.md"
    if language != i18n.DEFAULT_LANGUAGE and (DEFAULTS / language / f"{slug}.md").exists():
        path = DEFAULTS / language / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    fields = dict(line.split(":", 1) for line in front.strip().splitlines())
    updated = date.fromisoformat(fields["updated"].strip())
    body = body.strip() + "\n"
    return StandingPage(
        slug=slug,
        title=fields["title"].strip(),
        body=body,
        html=render_markdown(body, headings_from=2),
        updated_at=datetime(updated.year, updated.month, updated.day, 12, tzinfo=UTC),
        version=0,
        language=language if path.parent.name == language else i18n.DEFAULT_LANGUAGE,
    )


def _page(row: StandingPageVersion) -> StandingPage:
    return StandingPage(
        slug=row.slug,
        title=row.title,
        body=row.body,
        html=row.body_html,
        updated_at=row.created_at,
        version=row.version,
        author_id=row.author_id,
        note=row.note,
    )


def current_page(session: Session, slug: str) -> StandingPage:
    """The newest version of a page (one indexed read), or the shipped text."""
    kind_of(slug)
    row = session.exec(
        select(StandingPageVersion)
        .where(StandingPageVersion.slug == slug)
        .order_by(col(StandingPageVersion.version).desc())
        .limit(1)
    ).first()
    return _page(row) if row is not None else default_page(slug)


def page_version(session: Session, slug: str, version: int) -> StandingPage:
    kind_of(slug)
    if version == 0:
        return default_page(slug)
    row = session.exec(
        select(StandingPageVersion).where(
            StandingPageVersion.slug == slug, StandingPageVersion.version == version
        )
    ).first()
    if row is None:
        raise NotFound(i18n._("This page has no such version."))
    return _page(row)


def history(session: Session, slug: str, *, limit: int = 50) -> list[StandingPage]:
    """The page's versions, newest first (the shipped text last)."""
    kind_of(slug)
    rows = session.exec(
        select(StandingPageVersion)
        .where(StandingPageVersion.slug == slug)
        .order_by(col(StandingPageVersion.version).desc())
        .limit(limit)
    ).all()
    return [*(_page(row) for row in rows), default_page(slug)]


def overview(session: Session) -> list[tuple[PageKind, StandingPage]]:
    newest = (
        select(StandingPageVersion.slug, func.max(StandingPageVersion.version).label("v"))
        .group_by(col(StandingPageVersion.slug))
        .subquery()
    )
    rows = session.exec(
        select(StandingPageVersion).join(
            newest,
            (newest.c.slug == StandingPageVersion.slug)
            & (newest.c.v == StandingPageVersion.version),
        )
    ).all()
    saved = {row.slug: _page(row) for row in rows}
    return [(kind, saved.get(slug) or default_page(slug)) for slug, kind in PAGES.items()]


def save_page(
    session: Session, *, slug: str, values: dict[str, str | None], admin: User, now: datetime
) -> StandingPage:
    """Store a new version. The form names the version it was editing (``based_on``): if
    someone saved another in the meantime, this one is refused rather than silently undoing
    theirs (the unique (slug, version) pair settles two saves at the same moment)."""
    kind_of(slug)
    errors: dict[str, str] = {}
    title = text_field(errors, values, "title", label="the page's title", maximum=120)
    body = text_field(
        errors, values, "body", label="the page's text", maximum=BODY_MAX, multiline=True
    )
    note = text_field(
        errors, values, "note", label="a note of what changed", maximum=300, required=False
    )
    based_on = (values.get("based_on") or "").strip()
    if not based_on.isdigit():
        errors["body"] = errors.get("body") or "Open the page again from the list and edit it."
    if errors:
        raise FormInvalid(errors)
    current = current_page(session, slug)
    if int(based_on) != current.version:
        raise _edited_meanwhile()
    row = StandingPageVersion(
        slug=slug,
        version=current.version + 1,
        title=title,
        body=body + "\n",
        body_html=render_markdown(body, headings_from=2),
        note=note,
        author_id=admin.id,
        created_at=now,
    )
    session.add(row)
    try:
        session.flush()  # a clash spoils the transaction: the caller rolls it back
    except IntegrityError:
        raise _edited_meanwhile() from None
    audit.record(
        session,
        actor_id=admin.id,
        action="page.save",
        subject_type="standing_page",
        subject_id=slug,
        details={"version": row.version, "note": note},
        now=now,
    )
    return _page(row)


@dataclass(frozen=True)
class PublicPage:
    kind: PageKind
    page: StandingPage
    details: Details


def public_page(session: Session, slug: str) -> PublicPage:
    """A standing page as everyone reads it, with the site's contact details."""
    return PublicPage(kind_of(slug), current_page(session, slug), site_details(session))


def _edited_meanwhile() -> Conflict:
    return Conflict(
        i18n._(
            "Someone saved a newer version of this page while you were editing it. Open the page "
            "again to see their version, then make your change to it."
        )
    )
