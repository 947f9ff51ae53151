"""The admin area through its pages: a fresh site gets its first theme from /admin, refused
forms answer 422 with the input kept and each error beside its field, and the standing pages
and site details show where people read them."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from app.accounts.models import Role, User
from app.audit import log as audit
from app.audit.models import AuditEntry
from app.consultations.models import Theme
from tests.factories import csrf_token, make_user, sign_in


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def admin_client(client, outbox, session):
    make_user(session, roles={Role.admin}, pseudonym="SiteAdmin", email="admin@example.test")
    sign_in(client, outbox, "admin@example.test")
    return client


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/admin"), **data})


def test_a_first_theme_is_created_in_the_site_and_organisers_can_use_it(
    admin_client, session
) -> None:
    assert "Administration" in admin_client.get("/").text  # in the menu
    created = _post(
        admin_client,
        "/admin/themes",
        name="Reporting online abuse",
        description="How it is reported.",
    )
    assert created.status_code == 303 and created.headers["location"] == "/admin/themes"
    listing = admin_client.get("/admin/themes")
    assert (
        "Reporting online abuse" in listing.text
        and "/themes/reporting-online-abuse" in listing.text
    )
    assert admin_client.get("/themes/reporting-online-abuse").status_code == 200
    theme = session.exec(select(Theme).where(Theme.slug == "reporting-online-abuse")).one()
    assert audit.verify(session) is None
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "theme.create")).all()[-1]
    assert entry.subject_id == str(theme.id)


def test_a_taken_theme_name_is_refused_with_the_input_kept(admin_client, session) -> None:
    _post(admin_client, "/admin/themes", name="Law reform")
    count = len(session.exec(select(Theme)).all())
    refused = _post(admin_client, "/admin/themes", name="law reform", description="Kept text")
    assert refused.status_code == 422
    page = soup(refused)
    assert "already has this name" in page.select_one("#name-error").text
    assert page.select_one("#name")["value"] == "law reform"
    assert page.select_one("#name")["aria-invalid"] == "true"
    assert page.select_one("#description").text == "Kept text"
    assert page.select_one(".error-summary a[href='#name']")
    assert len(session.exec(select(Theme)).all()) == count


def test_an_unknown_role_and_self_custodian_are_refused_beside_the_field(
    admin_client, session
) -> None:
    refused = _post(
        admin_client,
        "/admin/roles",
        pseudonym="SiteAdmin",
        role="overlord",
        reason="Because I say so",
    )
    assert refused.status_code == 422
    page = soup(refused)
    assert "Choose one of the roles" in page.select_one("#role-error").text
    assert page.select_one("#pseudonym")["value"] == "SiteAdmin"
    assert page.select_one("#reason")["value"] == "Because I say so"
    own = _post(
        admin_client,
        "/admin/roles",
        pseudonym="SiteAdmin",
        role="custodian",
        reason="Because I say so",
    )
    assert own.status_code == 422 and "cannot make yourself a custodian" in own.text
    me = session.exec(select(User).where(User.pseudonym == "SiteAdmin")).one()
    assert me.roles == "admin citizen"


def test_removing_the_last_admin_is_refused_with_the_reason_and_nothing_changes(
    admin_client, session
) -> None:
    for other in session.exec(select(User).where(User.roles.contains("admin"))).all():
        if other.pseudonym != "SiteAdmin":
            other.roles = "citizen"
            session.add(other)
    session.flush()
    me = session.exec(select(User).where(User.pseudonym == "SiteAdmin")).one()
    refused = _post(
        admin_client, f"/admin/roles/{me.id}/remove", role="admin", reason="Handing over the site"
    )
    assert refused.status_code == 409
    assert "no admin" in soup(refused).select_one("#error-message").text
    session.refresh(me)
    assert "admin" in me.roles.split()
    assert not session.exec(select(AuditEntry).where(AuditEntry.action == "role.remove")).all()


def test_a_removal_without_a_reason_shows_the_error_in_that_persons_row(
    admin_client, session
) -> None:
    person = make_user(session, roles={Role.moderator}, pseudonym="RowPerson")
    refused = _post(admin_client, f"/admin/roles/{person.id}/remove", role="moderator", reason="")
    assert refused.status_code == 422
    assert "Enter the reason" in soup(refused).select_one(f"#remove-reason-{person.id}-error").text
    assert soup(refused).select_one("#pseudonym-error") is None


def test_granting_a_role_shows_it_and_counts_custodians(admin_client, session) -> None:
    make_user(session, pseudonym="NewCustodian")
    page = admin_client.get("/admin/roles").text
    before = int(re.search(r"<dt>Custodians</dt><dd>(\d+)</dd>", page).group(1))
    done = _post(
        admin_client,
        "/admin/roles",
        pseudonym="NewCustodian",
        role="custodian",
        reason="Joins the custodians",
    )
    assert done.status_code == 303
    after = admin_client.get("/admin/roles").text
    assert int(re.search(r"<dt>Custodians</dt><dd>(\d+)</dd>", after).group(1)) == before + 1
    assert "NewCustodian" in after


def test_a_standing_page_is_edited_versioned_and_shows_when_it_was_updated(
    admin_client, client
) -> None:
    shipped = admin_client.get("/site-rules")
    assert "Last updated 1 December 2026" in shipped.text
    form = soup(admin_client.get("/admin/pages/rules"))
    assert form.select_one("input[name=based_on]")["value"] == "0"
    saved = _post(
        admin_client,
        "/admin/pages/rules",
        title="House rules",
        based_on="0",
        body="## Be civil\n\nNo abuse.<script>alert(1)</script>",
        note="Shorter",
    )
    assert saved.status_code == 303
    page = admin_client.get("/site-rules")
    assert "<h2>Be civil</h2>" in page.text and "<script>alert" not in page.text
    assert re.search(r"Last updated \d{1,2} [A-Z][a-z]+ \d{4}", page.text)
    history = admin_client.get("/admin/pages/rules").text
    assert "Version 1" in history and "As shipped" in history and "Shorter" in history
    stale = _post(admin_client, "/admin/pages/rules", title="Old", based_on="0", body="Old text")
    assert stale.status_code == 409 and "newer version" in stale.text
    empty = _post(admin_client, "/admin/pages/rules", title="", based_on="1", body="Kept body")
    assert empty.status_code == 422 and soup(empty).select_one("#body").text == "Kept body"


def test_the_report_form_links_another_site_rule_to_the_rules(client, outbox, session) -> None:
    from tests.factories import make_post

    post = make_post(session)
    make_user(session, email="reader@example.test")
    sign_in(client, outbox, "reader@example.test")
    hint = soup(client.get(f"/posts/{post.id}/report")).select_one("#reason-other-hint")
    assert hint.select_one("a")["href"] == "/site-rules"


def test_site_details_are_shown_on_the_pages_that_need_them(admin_client) -> None:
    saved = _post(
        admin_client,
        "/admin/site",
        version="0",
        organisation_name="Safer Debate Trust",
        contact_email="hello@saferdebate.example",
        postal_address="2 Quay Street\nCardiff",
        support_services="Local helpline | 0800 999 000 | Listens at any hour",
    )
    assert saved.status_code == 303
    about = admin_client.get("/about").text
    assert "Safer Debate Trust" in about and "hello@saferdebate.example" in about
    assert "2 Quay Street" in admin_client.get("/privacy").text
    report = soup(admin_client.get("/how-to-report"))
    assert "Local helpline" in report.select_one(".support-services").text
    bad = _post(
        admin_client, "/admin/site", version="1", organisation_name="X", support_services="nonsense"
    )
    assert bad.status_code == 422
    assert "see line 1" in soup(bad).select_one("#support_services-error").text
    assert soup(bad).select_one("#support_services").text == "nonsense"


def test_the_footer_links_every_standing_page(client) -> None:
    links = {a["href"] for a in soup(client.get("/")).select(".site-footer a")}
    assert {"/about", "/site-rules", "/terms", "/privacy", "/accessibility"} <= links
