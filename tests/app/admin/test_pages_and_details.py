"""Standing pages are versioned Markdown, sanitised, dated; site details are data with their
shipped defaults; both refuse a save made on top of someone else's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from app.accounts.models import Role
from app.admin import details, pages
from app.admin.models import StandingPageVersion
from app.audit.models import AuditEntry
from kernel.errors import Conflict, FormInvalid
from tests.factories import make_user

NOW = datetime(2026, 12, 3, 10, 15, tzinfo=UTC)


def _save(session, admin, slug="rules", based_on="0", **values):
    return pages.save_page(
        session,
        slug=slug,
        values={
            "title": "Our rules",
            "body": "## Be fair\n\nText.",
            "based_on": based_on,
            **values,
        },
        admin=admin,
        now=NOW,
    )


@pytest.mark.parametrize("slug", list(pages.PAGES))
def test_every_standing_page_ships_with_a_text_and_a_date(slug) -> None:
    page = pages.default_page(slug)
    assert page.is_default and page.title and len(page.body) > 500
    assert page.html.startswith("<p>") and "<h2>" in page.html
    assert page.updated_at.year >= 2026


def test_the_accessibility_statement_follows_the_model_statement() -> None:
    html = pages.default_page("accessibility").html
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website",
        "Compliance status",
        "Non-accessible content",
        "What we are doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert heading in html, heading


def test_each_save_is_a_new_version_and_the_old_ones_stay(session) -> None:
    admin = make_user(session, roles={Role.admin})
    first = _save(session, admin, note="First edit")
    second = _save(session, admin, based_on="1", body="## Be kinder\n\nMore.")
    assert (first.version, second.version) == (1, 2)
    assert pages.current_page(session, "rules").html == second.html
    assert [p.version for p in pages.history(session, "rules")] == [2, 1, 0]
    assert pages.page_version(session, "rules", 1).body.startswith("## Be fair")
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "page.save")).all()[-1]
    assert entry.actor_id == admin.id and entry.details == {"version": 2, "note": ""}


def test_markdown_is_rendered_by_the_sanitiser_and_raw_html_never_passes(session) -> None:
    admin = make_user(session, roles={Role.admin})
    page = _save(
        session,
        admin,
        body="## Heading\n\n<script>alert(1)</script> [link](javascript:alert(1)) <b onclick=x>b</b>",
    )
    assert "<h2>Heading</h2>" in page.html
    assert "<script" not in page.html and 'href="javascript' not in page.html
    assert "<b " not in page.html and "&lt;b onclick" in page.html  # shown as typed, never run


def test_a_save_on_top_of_a_newer_version_is_refused(session) -> None:
    admin = make_user(session, roles={Role.admin})
    _save(session, admin)
    with pytest.raises(Conflict, match="newer version"):
        _save(session, admin, based_on="0", body="An older edit.")
    assert (
        session.exec(select(StandingPageVersion).where(StandingPageVersion.slug == "rules"))
        .all()[-1]
        .version
        == 1
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": ""}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 50_001}, "body"),
        ({"note": "n" * 301}, "note"),
    ],
)
def test_a_page_form_with_a_problem_names_the_field(session, values, field) -> None:
    with pytest.raises(FormInvalid) as refused:
        _save(session, make_user(session, roles={Role.admin}), **values)
    assert field in refused.value.errors


def test_an_unknown_page_is_not_found(session) -> None:
    from kernel.errors import NotFound

    with pytest.raises(NotFound):
        pages.current_page(session, "secret")


def test_site_details_start_as_shipped_and_are_saved_as_data(session) -> None:
    shipped = details.site_details(session)
    assert shipped.version == 0 and shipped.support_services
    assert any(s.contact == "999" for s in shipped.support_services)
    admin = make_user(session, roles={Role.admin})
    saved = details.save_details(
        session,
        values={
            "organisation_name": "Online Abuse Review Unit",
            "contact_email": "hello@review.example",
            "postal_address": "1 High Street\nAnytown",
            "support_services": "Helpline | 0800 000 000 | Listens\nWebsite | https://help.example/ | Advice",
            "version": "0",
        },
        admin=admin,
        now=NOW,
    )
    assert saved.version == 1 and saved.address_lines == ["1 High Street", "Anytown"]
    assert [(s.name, s.link) for s in saved.support_services] == [
        ("Helpline", None),
        ("Website", "https://help.example/"),
    ]
    with pytest.raises(Conflict, match="changed the site's details"):
        details.save_details(
            session,
            values={"organisation_name": "Stale", "version": "0", "support_services": ""},
            admin=admin,
            now=NOW,
        )


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("contact_email", "not an address", "like contact@example.org"),
        ("support_services", "Only a name", "see line 1"),
        ("support_services", "Fine | 123 | ok\nBroken | | x", "see line 2"),
        ("organisation_name", "", "Enter the organisation's name"),
    ],
)
def test_bad_site_details_are_refused_beside_their_field(session, field, value, problem) -> None:
    values = {"organisation_name": "Org", "version": "0", field: value}
    with pytest.raises(FormInvalid) as refused:
        details.save_details(session, values=values, admin=make_user(session), now=NOW)
    assert problem in refused.value.errors[field]
