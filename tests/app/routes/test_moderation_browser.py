"""In a real browser: a citizen reports a post, a moderator removes it with reasons from the
queue page, and the citizen sees the outcome on the page that follows their report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.accounts import sessions
from app.accounts.models import Role
from app.db import session_scope
from kernel.clock import utcnow
from tests.factories import make_consultation, make_post, make_user
from tests.support.browser import chromium_context
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser

STATEMENT = (
    "This answer tells a named participant that they will be hurt after the "
    "meeting, which is a credible threat of violence against a person."
)


@pytest.fixture
def site(tmp_path) -> Iterator[tuple[str, dict]]:
    with live_server(tmp_path, environment="test") as live:
        with session_scope(live.engine) as s:
            consultation = make_consultation(s, slug="browser-test")
            post = make_post(
                s,
                consultation=consultation,
                text="Watch yourself after the meeting, I know your car.",
            )
            reporter = make_user(s, pseudonym="Citizen7")
            moderator = make_user(s, pseudonym="ModeratorKim", roles={Role.moderator})
            tokens = {
                "reporter": sessions.start_session(s, user=reporter, now=utcnow()),
                "moderator": sessions.start_session(s, user=moderator, now=utcnow()),
                "post_id": post.id,
            }
        yield live.url, tokens


def test_citizen_reports_moderator_removes_citizen_sees_outcome(site) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, tokens = site
    post_id = tokens["post_id"]
    with (
        sync_playwright() as playwright,
        chromium_context(playwright, base_url=base) as citizen,
        chromium_context(playwright, base_url=base) as moderator,
    ):
        for context, who in ((citizen, "reporter"), (moderator, "moderator")):
            context.add_cookies([{"name": "reclaim_session", "value": tokens[who], "url": base}])
        page = citizen.new_page()
        page.goto("/consultations/browser-test/questions/1")
        page.locator(f"#answer-{post_id} a.report-link").click()
        page.get_by_label("Threat of violence").check()
        page.get_by_label("Yes, it is about me").check()
        page.get_by_role("button", name="Send the report").click()
        reference = page.locator("#case-reference").inner_text()
        assert reference.startswith("R-")
        expect(page.locator("#outcome")).to_contain_text("Waiting for a moderator")
        receipt_url = page.url

        mod_page = moderator.new_page()
        mod_page.goto("/moderation")
        mod_page.locator(".queue-table a", has_text="Case").first.click()
        expect(mod_page.locator("h1")).to_contain_text("Threats of violence")
        mod_page.get_by_role("radio", name="Remove the post").check()
        mod_page.get_by_label("The rule or legal category it rests on").select_option("threat")
        mod_page.get_by_label("Statement of reasons").fill(STATEMENT)
        mod_page.get_by_role("button", name="Record the decision").click()
        expect(mod_page.locator("#messages")).to_contain_text("Decided: Remove the post")

        page.goto(receipt_url)
        expect(page.locator("#outcome")).to_contain_text("Remove the post")
        expect(page.locator("#outcome")).to_contain_text(STATEMENT)
        page.goto("/consultations/browser-test/questions/1")
        expect(page.locator(f"#answer-{post_id}")).to_contain_text(
            "Removed by moderators: Threat of violence (category 1)"
        )
