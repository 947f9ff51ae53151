"""The admin area in a real browser, with JavaScript off: a first theme on an empty site, a
refused form with its error beside the field, a standing page edited and shown."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from app.accounts import sessions
from app.accounts.models import Role
from app.db import session_scope
from kernel.clock import utcnow
from tests.factories import make_user
from tests.support.browser import chromium_context
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    with live_server(tmp_path) as live:
        with session_scope(live.engine) as session:
            admin = make_user(session, roles={Role.admin}, pseudonym="BrowserAdmin")
            live.session_token = sessions.start_session(session, user=admin, now=utcnow())
        yield live


def test_an_admin_sets_up_a_fresh_site_without_javascript(server) -> None:
    with (
        sync_playwright() as playwright,
        chromium_context(playwright, javascript_enabled=False) as context,
    ):
        context.add_cookies(
            [{"name": "reclaim_session", "value": server.session_token, "url": server.url}]
        )
        page = context.new_page()
        page.goto(server.url)
        page.get_by_role("link", name="Administration").click()
        expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()
        page.get_by_role("link", name="Themes").click()
        expect(page.get_by_text("There are no themes yet")).to_be_visible()
        page.get_by_label("Name").fill("Policing online abuse")
        page.get_by_role("button", name="Create theme").click()
        expect(page.locator("#messages")).to_contain_text("Theme “Policing online abuse” created")
        page.get_by_label("Name").fill("policing ONLINE abuse")
        page.get_by_role("button", name="Create theme").click()
        expect(page.locator("#name-error")).to_contain_text("already has this name")
        expect(page.get_by_label("Name")).to_have_value("policing ONLINE abuse")
        page.goto(f"{server.url}/admin/pages/rules")
        page.get_by_label("Title").fill("House rules")
        page.get_by_label("Text").fill("## Be civil\n\nDisagree with arguments, not people.")
        page.get_by_role("button", name="Save as a new version").click()
        expect(page).to_have_url(re.compile(r"/admin/pages$"))
        page.goto(f"{server.url}/site-rules")
        expect(page.get_by_role("heading", name="Be civil")).to_be_visible()
        expect(page.locator(".page-updated")).to_contain_text(
            re.compile(r"Last updated \d{1,2} \w+ \d{4}")
        )
