"""A long conversation in a real browser: "N more replies" expands in place with htmx (no page
load), and without JavaScript it is a link to the answer's page, which pages the replies."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from app.db import session_scope
from app.participation.feed import REPLIES_PER_PAGE
from tests.factories import make_consultation, make_thread
from tests.support.browser import chromium_context
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser
REPLIES = REPLIES_PER_PAGE + 20  # two pages of replies on the answer's page


@pytest.fixture
def server(tmp_path):
    with live_server(tmp_path) as live:
        with session_scope(live.engine) as session:
            consultation = make_consultation(session, questions=1)
            answer = make_thread(
                session,
                replies=REPLIES,
                consultation=consultation,
                text="Reply {n} to the long conversation.",
            )
            live.path = f"/consultations/{consultation.slug}/questions/1"
            live.answer_id = answer.id
        yield live


def test_more_replies_expand_in_place_with_htmx(server) -> None:
    with sync_playwright() as playwright, chromium_context(playwright) as context:
        page = context.new_page()
        page.goto(server.url + server.path)
        replies = page.locator(f"#replies-{server.answer_id} li.reply")
        expect(replies).to_have_count(3)
        page.evaluate("window.__stillHere = true")
        page.get_by_role("link", name=f"{REPLIES - 3} more replies").click()
        expect(replies).to_have_count(REPLIES_PER_PAGE)
        assert page.evaluate("window.__stillHere") is True  # swapped, not reloaded
        page.get_by_role("link", name="Later replies").click()
        expect(replies).to_have_count(REPLIES - REPLIES_PER_PAGE)
        expect(replies.first).to_contain_text(
            f"Reply {REPLIES_PER_PAGE + 1} to the long conversation."
        )
        assert page.evaluate("window.__stillHere") is True


def test_more_replies_is_a_link_to_the_answer_page_without_javascript(server) -> None:
    with (
        sync_playwright() as playwright,
        chromium_context(playwright, javascript_enabled=False) as context,
    ):
        page = context.new_page()
        page.goto(server.url + server.path)
        page.get_by_role("link", name=f"{REPLIES - 3} more replies").click()
        expect(page).to_have_url(f"{server.url}/answers/{server.answer_id}")
        expect(page.locator("li.reply")).to_have_count(REPLIES_PER_PAGE)
        page.get_by_role("link", name="Later replies").click()
        expect(page).to_have_url(f"{server.url}/answers/{server.answer_id}?page=2")
        expect(page.locator("li.reply")).to_have_count(REPLIES - REPLIES_PER_PAGE)
