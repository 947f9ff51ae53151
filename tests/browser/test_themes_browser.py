"""In a real Chromium: an organiser asks for themes, a worker (another thread, with sessions of
its own) performs the run while the page polls its progress with htmx, and the organiser
accepts a theme; the same page works with JavaScript off."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.accounts import sessions
from app.accounts.models import Role
from app.analysis.themes import runs
from app.consultations import catalogue
from app.db import session_scope
from kernel.clock import utcnow
from tests.app.analysis.test_themes import labelled_answers
from tests.factories import add_response, make_consultation, make_user
from tests.support.browser import chromium_context
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser


@pytest.fixture
def site(tmp_path: Path) -> Iterator[dict]:
    with live_server(tmp_path, environment="test") as live:
        with session_scope(live.engine) as session:
            organiser = make_user(session, roles={Role.organiser}, pseudonym="ThemeAnalyst")
            c = make_consultation(session, questions=1, slug="themes-in-a-browser", status="closed")
            (q1,) = catalogue.questions_of(session, c)
            for _, text in labelled_answers():
                add_response(session, c, {q1.id: "agree"}, texts={q1.id: text})
            token = sessions.start_session(session, user=organiser, now=utcnow())
        yield {
            "base": live.url,
            "token": token,
            "slug": "themes-in-a-browser",
            "work": lambda: runs.run_pending(lambda: session_scope(live.engine)),
        }


@contextmanager
def _signed_in(playwright, site: dict, **options):
    """A browser context signed in as the analyst."""
    with chromium_context(playwright, base_url=site["base"], **options) as context:
        context.add_cookies(
            [{"name": "reclaim_session", "value": site["token"], "url": site["base"]}]
        )
        yield context


def test_the_page_follows_the_run_and_a_theme_is_accepted(site: dict) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright, _signed_in(playwright, site) as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"/organise/{site['slug']}/questions/1/themes")
        page.get_by_role("button", name="Find themes").click()
        expect(page.locator("#run-state")).to_contain_text("Waiting for the background worker")
        page.evaluate("window.__stillHere = true")
        assert site["work"]() == 1
        # htmx polls the block: the page learns the run has finished without a reload
        expect(page.locator("#run-state")).to_contain_text("Last run finished", timeout=10_000)
        assert page.evaluate("window.__stillHere") is True
        page.reload()
        first = page.locator("article.theme--suggested").first
        first.get_by_label("Name").fill("Evidence and removal")
        first.get_by_role("button", name="Accept").click()
        expect(page.locator("#messages")).to_contain_text("Theme “Evidence and removal” accepted")
        expect(page.locator("article.theme--accepted h3")).to_have_text("Evidence and removal")
        assert not [e for e in errors if "Content Security Policy" in e], errors


def test_reviewing_themes_works_with_javascript_off(site: dict) -> None:
    from playwright.sync_api import expect, sync_playwright

    with (
        sync_playwright() as playwright,
        _signed_in(playwright, site, javascript_enabled=False) as context,
    ):
        page = context.new_page()
        page.goto(f"/organise/{site['slug']}/questions/1/themes")
        page.get_by_role("button", name="Find themes").click()
        assert site["work"]() == 1
        page.get_by_role("link", name="Refresh this page").click()
        expect(page.locator("#run-state")).to_contain_text("Last run finished")
        first = page.locator("article.theme--suggested").first
        label = first.locator("h3").inner_text()
        first.get_by_label("Name").fill("")
        first.get_by_role("button", name="Rename only").click()
        expect(page.locator(".error-summary")).to_contain_text("Enter the theme's name.")
        page.locator("article.theme--suggested").first.get_by_role("button", name="Reject").click()
        expect(page.locator("#messages")).to_contain_text("Theme rejected")
        expect(page.locator("article.theme--suggested h3").first).not_to_have_text(label)
