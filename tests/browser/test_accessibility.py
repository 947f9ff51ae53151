"""WCAG 2.2 AA, checked by axe-core in Chromium on every kind of page: signed out and as each
role, in English and in Welsh, with the main states (a form refused with its errors, empty
lists, long lists). The test fails on any violation of the WCAG 2.0, 2.1 and 2.2 A and AA
rules and prints how many pages it checked."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import select

from app.accounts import sessions
from app.accounts.models import Role, User
from app.db import session_scope
from app.demo import seed
from app.wiring import build_site
from kernel.clock import utcnow
from tests.factories import make_user
from tests.support.accessibility import (
    axe_available,
    axe_violations,
    crawl,
    someone_elses_answer,
)
from tests.support.browser import chromium_available, chromium_context
from tests.support.live_server import live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason="needs Chromium"),
    pytest.mark.skipif(
        not axe_available(), reason="needs tests/axe (scripts/install-test-deps.sh)"
    ),
]

ROLE_STARTS = {
    "visitor": ["/", "/auth/sign-in", "/how-to-report", "/staying-safe", "/transparency"],
    "citizen": ["/", "/account", "/notices", "/blocks", "/reports"],
    "moderator": ["/moderation", "/moderation/appeals", "/moderation/watched-words"],
    "organiser": ["/organise", "/organise/new"],
    "custodian": ["/custodian/disclosures"],
    "admin": [
        "/admin",
        "/admin/themes",
        "/admin/roles",
        "/admin/pages",
        "/admin/site",
        "/admin/outbox",
    ],
}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The demo's content: every role, open and closed consultations, long lists of answers,
    reports and moderation cases."""
    with live_server(tmp_path_factory.mktemp("axe")) as live:
        with build_site(live.settings).transaction() as session:
            seed.seed(session, now=utcnow())
        tokens = {}
        with session_scope(live.engine) as session:
            for role, pseudonym in seed.ROLE_ACCOUNTS.items():
                user = session.exec(select(User).where(User.pseudonym == pseudonym)).one()
                tokens[role.value] = sessions.start_session(session, user=user, now=utcnow())
        live.tokens = tokens
        yield live


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory):
    """A site with nothing in it yet but an admin and a citizen: the empty lists."""
    with live_server(tmp_path_factory.mktemp("axe-empty")) as live:
        with session_scope(live.engine) as session:
            admin = make_user(session, roles={Role.admin}, pseudonym="EmptyAdmin")
            citizen = make_user(session, pseudonym="EmptyCitizen")
            live.tokens = {
                "admin": sessions.start_session(session, user=admin, now=utcnow()),
                "citizen": sessions.start_session(session, user=citizen, now=utcnow()),
            }
        yield live


def _browse(stack: ExitStack, playwright, server, role: str, *, language: str = "en") -> Page:
    # Reduced motion: htmx's fade-in of a swapped form is over at once, so contrast is measured
    # on the page as it settles, not halfway through a transition.
    context = stack.enter_context(
        chromium_context(
            playwright, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
        )
    )
    cookies = [{"name": "reclaim_lang", "value": language, "url": server.url}]
    if role != "visitor":
        cookies.append({"name": "reclaim_session", "value": server.tokens[role], "url": server.url})
    context.add_cookies(cookies)
    return context.new_page()


def _check(page: Page, label: str, failures: list[str], checked: list[str]) -> None:
    checked.append(label)
    failures.extend(f"{label}: {violation}" for violation in axe_violations(page))


def _refuse_first_form(page: Page) -> bool:
    """Submit the page's first form that has a text field, with its text fields emptied: the
    form comes back refused, each error beside its field."""
    fields = "textarea, input[type=text], input[type=email], input:not([type])"
    form = page.locator(
        "main form:has(textarea), main form:has(input[type=text]), "
        "main form:has(input[type=email]), main form:has(input:not([type]))"
    ).first
    if form.count() == 0:
        return False
    for field in form.locator(fields).all():
        if field.is_visible():
            field.fill("")
        else:
            field.evaluate("el => { el.value = ''; }")
    button = form.locator("button[type=submit], button:not([type])").first
    if not button.is_visible():
        opener = form.locator("xpath=ancestor::details").first
        if opener.count():
            opener.locator("summary").first.click()
    button.click()
    try:
        page.wait_for_selector(".field__error, .error-summary", timeout=10_000)
        page.wait_for_function(
            "!document.querySelector('.htmx-added, .htmx-settling, .htmx-swapping, .htmx-request')"
        )
    except PlaywrightTimeout:
        return False
    page.wait_for_timeout(100)
    return True


FORMS = {
    "visitor": ["/auth/sign-in"],
    "citizen": ["/consultations/{open}/questions/1", "/posts/{post}/report"],
    "moderator": ["/moderation/watched-words"],
    "organiser": ["/organise/new"],
    "admin": ["/admin/themes", "/admin/site"],
}


def _open_consultation(server) -> str:
    from app.consultations.models import Consultation

    with session_scope(server.engine) as session:
        now = utcnow()
        found = session.exec(
            select(Consultation.slug).where(
                Consultation.is_published,
                Consultation.opens_at <= now,
                Consultation.closes_at > now,
            )
        ).first()
    assert found, "the demo has an open consultation"
    return found


def test_every_kind_of_page_meets_wcag_22_aa_for_everyone(demo_site, empty_site, capsys) -> None:
    failures: list[str] = []
    checked: list[str] = []
    open_slug = _open_consultation(demo_site)
    post = someone_elses_answer(demo_site.engine)
    with sync_playwright() as playwright, ExitStack() as stack:
        for role, starts in ROLE_STARTS.items():
            page = _browse(stack, playwright, demo_site, role)
            for url in crawl(page, demo_site.url, starts, limit=45):
                _check(page, f"{role} {url}", failures, checked)
            for path in FORMS.get(role, []):
                page.goto(demo_site.url + path.format(open=open_slug, post=post))
                if _refuse_first_form(page):
                    _check(page, f"{role} {path} (refused form)", failures, checked)
                else:
                    failures.append(f"{role} {path}: no refused form to check")
        # Welsh: the same templates with Welsh words (lang attributes, lengths, wrapping)
        for role, starts in (("visitor", ROLE_STARTS["visitor"]), ("citizen", ["/account"])):
            page = _browse(stack, playwright, demo_site, role, language="cy")
            for url in crawl(page, demo_site.url, starts, limit=12):
                _check(page, f"{role} (cy) {url}", failures, checked)
        # Empty lists
        for role, starts in (
            ("visitor", ["/", "/transparency"]),
            ("citizen", ["/account", "/notices", "/blocks", "/reports"]),
            ("admin", ["/admin", "/admin/themes", "/admin/outbox", "/organise"]),
        ):
            page = _browse(stack, playwright, empty_site, role)
            for path in starts:
                page.goto(empty_site.url + path)
                _check(page, f"{role} {path} (empty)", failures, checked)
    with capsys.disabled():
        print(
            f"\naxe-core: {len(checked)} pages checked against WCAG 2.0/2.1/2.2 A and AA, {len(failures)} problems"
        )
    assert len(checked) > 60
    assert not failures, "\n".join(failures)
