"""Themes, as admins manage them: create, rename, describe, reorder, retire and bring back.

A theme's address (slug) is made from its first name and kept when it is renamed, so links to
it keep working. A retired theme takes no new consultations; those it has keep it, and its
page stays. Names are unique whatever their capitals (the database also refuses a duplicate,
for two admins creating the same theme at once).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.admin.fields import text_field
from app.audit import log as audit
from app.consultations.models import Consultation, Theme
from kernel import i18n
from kernel.errors import Conflict, FormInvalid, NotFound

NAME_TAKEN = "Another theme already has this name. Choose a different one."


@dataclass(frozen=True)
class ThemeRow:
    theme: Theme
    consultations: int

    @property
    def is_retired(self) -> bool:
        return self.theme.retired_at is not None


def theme_rows(session: Session) -> list[ThemeRow]:
    """Every theme in its order, with how many consultations it holds (one query)."""
    counts = (
        select(Consultation.theme_id, func.count().label("n"))
        .group_by(col(Consultation.theme_id))
        .subquery()
    )
    rows = session.exec(
        select(Theme, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.theme_id == Theme.id)
        .order_by(col(Theme.position), col(Theme.name))
    ).all()
    return [ThemeRow(theme, int(n)) for theme, n in rows]


def get_theme(session: Session, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None:
        raise NotFound(i18n._("There is no such theme."))
    return theme


def _slug_base(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:70].strip("-")
    return slug or "theme"


def _free_slug(session: Session, name: str) -> str:
    base = _slug_base(name)
    taken = set(session.exec(select(Theme.slug).where(col(Theme.slug).startswith(base))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _read(
    session: Session, values: dict[str, str | None], *, existing: Theme | None = None
) -> tuple[str, str]:
    errors: dict[str, str] = {}
    name = text_field(errors, values, "name", label="the theme's name", maximum=120, minimum=2)
    description = text_field(
        errors,
        values,
        "description",
        label="the description",
        maximum=600,
        required=False,
        multiline=True,
    )
    if name:
        clash = session.exec(select(Theme.id).where(func.lower(Theme.name) == name.lower())).first()
        if clash is not None and (existing is None or clash != existing.id):
            errors["name"] = NAME_TAKEN
    if errors:
        raise FormInvalid(errors)
    return name, description


def _flush_or_name_taken(session: Session) -> None:
    try:
        session.flush()  # a clash spoils the transaction: the caller rolls it back
    except IntegrityError:
        raise FormInvalid({"name": NAME_TAKEN}) from None


def _record(
    session: Session, action: str, theme: Theme, *, admin: User, now: datetime, **details: object
) -> None:
    assert theme.id is not None, "a stored theme"
    audit.record(
        session,
        actor_id=admin.id,
        action=f"theme.{action}",
        subject_type="theme",
        subject_id=theme.id,
        details=details,
        now=now,
    )


def create_theme(
    session: Session, *, values: dict[str, str | None], admin: User, now: datetime
) -> Theme:
    name, description = _read(session, values)
    last = session.exec(select(func.max(Theme.position))).one()
    theme = Theme(
        slug=_free_slug(session, name),
        name=name,
        description=description,
        position=(last or 0) + 1,
    )
    session.add(theme)
    _flush_or_name_taken(session)
    _record(session, "create", theme, admin=admin, now=now, name=name)
    return theme


def update_theme(
    session: Session, *, theme_id: int, values: dict[str, str | None], admin: User, now: datetime
) -> Theme:
    theme = get_theme(session, theme_id)
    name, description = _read(session, values, existing=theme)
    changed = {"name": [theme.name, name]} if name != theme.name else {}
    if description != theme.description:
        changed["description"] = ["changed"]
    theme.name, theme.description = name, description
    session.add(theme)
    _flush_or_name_taken(session)
    _record(session, "update", theme, admin=admin, now=now, changed=changed)
    return theme


def move_theme(
    session: Session, *, theme_id: int, direction: str, admin: User, now: datetime
) -> Theme:
    """Move a theme one place up or down the list (the order of the home page)."""
    if direction not in ("up", "down"):
        raise FormInvalid({"direction": i18n._("Choose up or down.")})
    ordered = list(session.exec(select(Theme).order_by(col(Theme.position), col(Theme.name))))
    index = next((i for i, t in enumerate(ordered) if t.id == theme_id), None)
    if index is None:
        raise NotFound(i18n._("There is no such theme."))
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        raise Conflict(
            i18n._(
                "This theme is already at the {bottom}.", bottom="top" if other < 0 else "bottom"
            )
        )
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, theme in enumerate(ordered, start=1):
        if theme.position != position:
            theme.position = position
            session.add(theme)
    session.flush()
    moved = ordered[other]
    _record(session, "move", moved, admin=admin, now=now, direction=direction)
    return moved


def set_retired(
    session: Session, *, theme_id: int, retired: bool, reason: str, admin: User, now: datetime
) -> Theme:
    """Retire a theme (or bring it back). A conditional update: of two admins doing the same
    at once, the second is told it is already done."""
    theme = get_theme(session, theme_id)
    retired_at = col(Theme.retired_at)
    done = session.exec(
        update(Theme)
        .where(
            col(Theme.id) == theme_id,
            retired_at.is_(None) if retired else retired_at.is_not(None),
        )
        .values(retired_at=now if retired else None)
    )
    if done.rowcount == 0:
        state = "retired" if retired else "in use"
        raise Conflict(
            i18n._("The theme “{name}” is already {state}.", name=theme.name, state=state)
        )
    session.refresh(theme)
    _record(session, "retire" if retired else "restore", theme, admin=admin, now=now, reason=reason)
    return theme
