"""Themes as admins manage them, each change audited; a retired theme keeps its consultations."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.accounts.models import Role
from app.admin import themes
from app.audit.models import AuditEntry
from app.consultations import catalogue, organising
from kernel.clock import utcnow
from kernel.errors import Conflict, FormInvalid
from tests.factories import make_consultation, make_user


def _admin(session: Session):
    return make_user(session, roles={Role.admin})


def _create(session, admin, name: str, description: str = ""):
    return themes.create_theme(
        session, values={"name": name, "description": description}, admin=admin, now=utcnow()
    )


def _entries(session: Session, action: str) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_theme_is_created_last_with_an_address_made_from_its_name(session) -> None:
    admin = _admin(session)
    first = _create(session, admin, "Policing online abuse")
    second = _create(session, admin, "Young people and schools", "Growing up online.")
    assert first.slug == "policing-online-abuse" and second.position == first.position + 1
    assert second.description == "Growing up online."
    [entry] = [e for e in _entries(session, "theme.create") if e.subject_id == str(second.id)]
    assert entry.actor_id == admin.id and entry.details == {"name": "Young people and schools"}


def test_a_name_already_taken_whatever_its_capitals_is_refused(session) -> None:
    admin = _admin(session)
    _create(session, admin, "Law reform")
    before = len(catalogue.list_themes(session))
    with pytest.raises(FormInvalid) as refused:
        _create(session, admin, "LAW REFORM")
    assert "already has this name" in refused.value.errors["name"]
    assert len(catalogue.list_themes(session)) == before


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "Enter the theme's name"),
        ("x", "at least 2"),
        ("n" * 121, "at most 120"),
        ("Bad\x00name", "not text"),
        ("Two\nlines", "one line"),
    ],
)
def test_a_bad_name_is_refused_with_the_reason(session, name, problem) -> None:
    with pytest.raises(FormInvalid) as refused:
        _create(session, _admin(session), name)
    assert problem in refused.value.errors["name"]


def test_renaming_keeps_the_address_and_records_the_old_name(session) -> None:
    admin = _admin(session)
    theme = _create(session, admin, "Platforms")
    themes.update_theme(
        session,
        theme_id=theme.id,
        values={"name": "What we expect of platforms", "description": "New words."},
        admin=admin,
        now=utcnow(),
    )
    assert theme.slug == "platforms" and theme.name == "What we expect of platforms"
    [entry] = [e for e in _entries(session, "theme.update") if e.subject_id == str(theme.id)]
    assert entry.details["changed"]["name"] == ["Platforms", "What we expect of platforms"]


def test_renaming_to_another_themes_name_is_refused(session) -> None:
    admin = _admin(session)
    _create(session, admin, "Employers")
    other = _create(session, admin, "Workplaces")
    with pytest.raises(FormInvalid):
        themes.update_theme(
            session, theme_id=other.id, values={"name": "employers"}, admin=admin, now=utcnow()
        )


def test_themes_move_up_and_down_and_not_past_the_ends(session) -> None:
    admin = _admin(session)
    names = [f"Order test {n}" for n in range(3)]
    made = [_create(session, admin, name) for name in names]
    themes.move_theme(session, theme_id=made[2].id, direction="up", admin=admin, now=utcnow())
    ordered = [t.name for t in catalogue.list_themes(session) if t.name in names]
    assert ordered == [names[0], names[2], names[1]]
    first = catalogue.list_themes(session)[0]
    with pytest.raises(Conflict, match="already at the top"):
        themes.move_theme(session, theme_id=first.id, direction="up", admin=admin, now=utcnow())
    with pytest.raises(FormInvalid):
        themes.move_theme(
            session, theme_id=first.id, direction="sideways", admin=admin, now=utcnow()
        )


def test_a_retired_theme_keeps_its_consultations_but_takes_no_new_ones(session) -> None:
    admin = _admin(session)
    theme = _create(session, admin, "Keeping the evidence")
    kept = make_consultation(session, theme=theme)
    themes.set_retired(
        session, theme_id=theme.id, retired=True, reason="Merged", admin=admin, now=utcnow()
    )
    assert kept.theme_id == theme.id
    assert catalogue.theme_consultations(session, theme=theme) == [kept]
    assert theme not in catalogue.themes_in_use(session)
    assert theme in catalogue.themes_in_use(session, keep=theme.id)
    values = {
        "theme_id": str(theme.id),
        "slug": "under-a-retired-theme",
        "title": "T",
        "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-02-01T09:00",
        "moderation_mode": "post",
        "required_level": "email",
    }
    with pytest.raises(FormInvalid) as refused:
        organising.parse_consultation(session, values)
    assert "retired" in refused.value.errors["theme_id"]
    assert organising.parse_consultation(session, values, existing=kept).theme_id == theme.id
    with pytest.raises(Conflict, match="already retired"):
        themes.set_retired(
            session, theme_id=theme.id, retired=True, reason="", admin=admin, now=utcnow()
        )
    themes.set_retired(
        session, theme_id=theme.id, retired=False, reason="", admin=admin, now=utcnow()
    )
    assert theme.retired_at is None
    assert [e.details["reason"] for e in _entries(session, "theme.retire")][-1] == "Merged"
