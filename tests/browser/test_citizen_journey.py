"""What a person sees in a real browser (Debian's Chromium through Playwright)."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from app.db import session_scope
from tests.factories import make_consultation, make_post
from tests.support.browser import chromium_context
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    with live_server(tmp_path) as live:
        with session_scope(live.engine) as session:
            consultation = make_consultation(session, questions=2)
            live.slug = consultation.slug
        yield live


def _sign_up(page, base: str, email: str, pseudonym: str) -> None:
    page.goto(f"{base}/auth/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    page.goto(f"{base}/dev/outbox")
    link = re.search(
        r"http://127\.0\.0\.1:\d+/auth/link/[\w-]+",
        page.locator(".outbox-message pre").first.inner_text(),
    ).group(0)
    page.goto(link)
    page.get_by_label("Pseudonym").fill(pseudonym)
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("#messages")).to_contain_text(f"Welcome, {pseudonym}")


def test_sign_up_confirm_and_answer_without_a_full_page_load(server) -> None:
    with sync_playwright() as playwright, chromium_context(playwright) as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        _sign_up(page, server.url, "browser@example.test", "BrowserUser")
        page.goto(f"{server.url}/consultations/{server.slug}/questions/1")
        page.evaluate("window.__stillHere = true")
        # A mistake first: the error comes back in place, focused, with the text kept.
        page.get_by_role("textbox", name="Your answer").fill("Too short")
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator(".error-summary")).to_be_focused()
        expect(page.get_by_role("textbox", name="Your answer")).to_have_value("Too short")
        page.get_by_label("Agree", exact=True).check()
        page.get_by_role("textbox", name="Your answer").fill(
            "Specialist units should support local officers."
        )
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator("#answer_list")).to_contain_text("Specialist units should support")
        assert page.evaluate("window.__stillHere") is True  # swapped, not reloaded
        expect(page.locator("#messages")).to_contain_text("Your answer was saved")
        assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_same_journey_works_with_javascript_off(server) -> None:
    with (
        sync_playwright() as playwright,
        chromium_context(playwright, javascript_enabled=False) as context,
    ):
        page = context.new_page()
        _sign_up(page, server.url, "nojs@example.test", "NoScript1")
        page.goto(f"{server.url}/consultations/{server.slug}/questions/1")
        page.get_by_role("textbox", name="Your answer").fill("Short")
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator(".error-summary")).to_contain_text("at least 10 characters")
        page.get_by_label("Disagree").check()
        page.get_by_role("textbox", name="Your answer").fill(
            "Training for every officer matters more."
        )
        page.get_by_role("button", name="Submit answer").click()
        expect(page).to_have_url(re.compile(r"/questions/1$"))
        expect(page.locator("#answer_list")).to_contain_text("Training for every officer")


@pytest.fixture
def answered_server(tmp_path):
    with live_server(tmp_path) as live:
        with session_scope(live.engine) as session:
            consultation = make_consultation(session, questions=1)
            answer = make_post(
                session,
                consultation=consultation,
                text="The first officer I spoke to had never heard of the offence.",
            )
            live.slug, live.answer_id = consultation.slug, answer.id
        yield live


def test_without_javascript_a_reply_returns_to_the_question_at_the_answer(
    answered_server,
) -> None:
    server = answered_server
    with (
        sync_playwright() as playwright,
        chromium_context(playwright, javascript_enabled=False) as context,
    ):
        page = context.new_page()
        _sign_up(page, server.url, "replier@example.test", "NoScriptReplier")
        question = f"{server.url}/consultations/{server.slug}/questions/1"
        page.goto(question)
        answer = page.locator(f"#answer-{server.answer_id}")
        answer.locator("summary", has_text="Reply").click()
        answer.get_by_role("textbox", name="Your reply").fill(
            "The same happened to me in 2024, word for word."
        )
        answer.get_by_role("button", name="Post reply").click()
        expect(page).to_have_url(f"{question}#answer-{server.answer_id}")
        expect(page.locator("#messages")).to_contain_text("Your reply was posted.")
        expect(page.locator(f"#answer-{server.answer_id} .replies")).to_contain_text(
            "word for word"
        )
