"""In a real Chromium: an organiser codes answers in the workspace and Annex A changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.accounts import sessions
from app.accounts.models import Role
from app.consultations import catalogue
from app.db import session_scope
from kernel.clock import utcnow
from tests.factories import add_response, make_consultation, make_user
from tests.support.browser import chromium_context
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser


@pytest.fixture
def site(tmp_path: Path) -> Iterator[dict]:
    """The site on a free port over a fresh SQLite file, with a consultation to code."""
    with live_server(tmp_path, environment="test") as live:
        with session_scope(live.engine) as session:
            organiser = make_user(
                session, roles={Role.organiser}, pseudonym="Analyst1", email="analyst@example.test"
            )
            c = make_consultation(session, questions=1, slug="coding-in-a-browser", status="closed")
            (q1,) = catalogue.questions_of(session, c)
            for stance, text in (
                ("agree", "The guidance is clear and helpful."),
                ("agree", "Good, but add examples about group chats."),
                ("disagree", "This goes too far and will chill speech."),
            ):
                add_response(session, c, {q1.id: stance}, texts={q1.id: text})
            token = sessions.start_session(session, user=organiser, now=utcnow())
        yield {"base": live.url, "token": token, "slug": "coding-in-a-browser"}


def _cell(page, category: str) -> str:
    return page.locator(f'#annex-all td[data-category="{category}"] a').inner_text()


def test_organiser_codes_answers_and_sees_annex_a_change(site: dict) -> None:
    from playwright.sync_api import expect, sync_playwright

    with (
        sync_playwright() as playwright,
        chromium_context(playwright, base_url=site["base"]) as context,
    ):
        context.add_cookies(
            [{"name": "reclaim_session", "value": site["token"], "url": site["base"]}]
        )
        page = context.new_page()
        page.goto(f"/organise/{site['slug']}/questions/1/code")
        expect(page.locator("#progress-text")).to_have_text("0 of 3 coded")
        assert (_cell(page, "positive"), _cell(page, "negative")) == ("2", "1")
        expect(page.locator("#declared-stance")).to_have_text("Agree")
        # Keyboard alone: focus the button and press Enter; htmx swaps in the next answer.
        page.locator("#evaluation-negative").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#progress-text")).to_have_text("1 of 3 coded")
        assert (_cell(page, "positive"), _cell(page, "negative")) == ("1", "2")
        expect(page.locator("#declared-stance")).to_have_text("Agree")
        page.locator("#evaluation-neutral").click()
        expect(page.locator("#progress-text")).to_have_text("2 of 3 coded")
        assert (_cell(page, "positive"), _cell(page, "negative"), _cell(page, "neutral")) == (
            "0",
            "2",
            "1",
        )
        # The organiser's Annex A page shows the same, with its chart.
        page.goto(f"/organise/{site['slug']}/annex-a")
        row = page.locator("#annex-all tbody tr").first
        expect(row.locator('td[data-category="neutral"] a')).to_have_text("1")
        expect(page.locator(".annex-charts svg[role=img]")).to_have_count(1)
        page.locator('#annex-all td[data-category="negative"] a').click()
        expect(page.locator("#cell-answers tbody tr")).to_have_count(2)
