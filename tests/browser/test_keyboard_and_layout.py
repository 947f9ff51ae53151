"""What axe cannot see, checked in Chromium: the order the keyboard takes through each form,
focus always visible and never covered, no keyboard trap, targets of at least 24 × 24 px,
reflow at 320 px, errors announced and linked to their fields, page titles that name the page
and any error, the header on one row of a phone with its menu opening without JavaScript,
the question in a phone's first screen, "Leave this site" and content notes."""

from __future__ import annotations

import itertools
import re
from contextlib import ExitStack

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from sqlmodel import select

from app.accounts import sessions
from app.accounts.models import User
from app.db import session_scope
from app.demo import seed
from app.wiring import build_site
from kernel.clock import utcnow
from tests.support.accessibility import someone_elses_answer
from tests.support.browser import chromium_available, chromium_context
from tests.support.live_server import live_server

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason="Chromium")]

NEUTRAL = "https://www.bbc.co.uk/weather"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("keys")) as live:
        with build_site(live.settings).transaction() as session:
            seed.seed(session, now=utcnow())
        with session_scope(live.engine) as session:
            live.tokens = {
                role.value: sessions.start_session(
                    session,
                    user=session.exec(select(User).where(User.pseudonym == name)).one(),
                    now=utcnow(),
                )
                for role, name in seed.ROLE_ACCOUNTS.items()
            }
            from app.consultations.models import Consultation

            now = utcnow()
            live.open_slug = session.exec(
                select(Consultation.slug).where(
                    Consultation.is_published,
                    Consultation.opens_at <= now,
                    Consultation.closes_at > now,
                )
            ).first()
        yield live


def _page(stack: ExitStack, playwright, site, role: str | None = None, **options) -> Page:
    # Reduced motion: focus scrolls into view at once rather than smoothly, so each check sees
    # where it ends up.
    options.setdefault("reduced_motion", "reduce")
    context = stack.enter_context(chromium_context(playwright, **options))
    # "Leave this site" goes to a neutral site: answered here, so nothing leaves the machine.
    context.route(f"{NEUTRAL}**", lambda route: route.fulfill(body="<title>Weather</title>Sunny"))
    if role:
        context.add_cookies(
            [{"name": "reclaim_session", "value": site.tokens[role], "url": site.url}]
        )
    return context.new_page()


FOCUSED = """async () => {
  // Measured once settled: the focus styles applied and the (smooth) scroll into view and any
  // transition (the skip link slides in) finished, i.e. the element and the page stopped moving
  // for two frames in a row (at most about a second on a loaded machine).
  const frame = () => new Promise(done => requestAnimationFrame(done));
  await frame(); await frame();
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const where = () => { const b = el.getBoundingClientRect(); return [b.top, b.left, scrollX, scrollY].join(); };
  for (let last = where(), still = 0, n = 0; still < 2 && n < 60; n++) {
    await frame();
    const now = where();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const cx = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const cy = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(cx, cy);
  return {
    key: el.id || el.name || el.getAttribute('href') || el.textContent.trim().slice(0, 40),
    tag: el.tagName, index: [...document.querySelectorAll('*')].indexOf(el),
    ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none',
    inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    covered: !(top && (top === el || el.contains(top) || top.contains(el) || (el.labels && [...el.labels].some(l => l.contains(top))))),
  };
}"""

FOCUSABLE = """(root) => [...document.querySelector(root).querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'
)].filter(el => !el.disabled && el.offsetParent !== null && el.getClientRects().length)
 .filter(el => { const shut = el.closest('details:not([open])'); return !shut || el.parentElement === shut && el.tagName === 'SUMMARY'; })
 .filter(el => !(el.type === 'radio' && !el.checked && [...document.getElementsByName(el.name)].some(o => o !== el && (o.checked || [...document.getElementsByName(el.name)].indexOf(o) < [...document.getElementsByName(el.name)].indexOf(el)))))
 .map(el => el.id || el.name || el.getAttribute('href') || el.textContent.trim().slice(0, 40))"""


def _tab_through(page: Page, steps: int) -> list[dict]:
    """Press Tab ``steps`` times; each control reached once (a date and time field's parts,
    day, month, year, hour and minute, are one control)."""
    seen: list[dict] = []
    for _ in range(steps * 3):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUSED)
        if state and not (seen and seen[-1]["index"] == state["index"] and state["tag"] == "INPUT"):
            seen.append(state)
        if len(seen) >= steps:
            break
    return seen


FORMS = {
    "sign-in": (None, "/auth/sign-in", "main form"),
    "answer": ("citizen", "/consultations/{slug}/questions/1", "#your_answer form"),
    "report": ("citizen", None, "main form"),
    "new consultation": ("organiser", "/organise/new", "main form"),
    "theme": ("admin", "/admin/themes", "main form:last-of-type"),
    "site details": ("admin", "/admin/site", "main form"),
}


def _report_path(site) -> str:
    return f"/posts/{someone_elses_answer(site.engine)}/report"


@pytest.mark.parametrize("form", sorted(FORMS))
def test_the_keyboard_takes_each_form_in_reading_order_with_focus_always_visible(
    site, form
) -> None:
    role, path, selector = FORMS[form]
    path = (path or _report_path(site)).format(slug=site.open_slug)
    with sync_playwright() as playwright, ExitStack() as stack:
        page = _page(stack, playwright, site, role, viewport={"width": 1280, "height": 720})
        page.goto(site.url + path)
        expected = page.evaluate(FOCUSABLE, selector)
        assert expected, f"no controls in {selector} on {path}"
        assert (
            page.evaluate(
                'document.querySelectorAll(\'[tabindex]:not([tabindex="-1"]):not([tabindex="0"])\').length'
            )
            == 0
        )
        page.locator(selector).first.evaluate(
            "f => f.querySelector('input:not([type=hidden]), textarea, select, button, a[href], summary').focus()"
        )
        page.keyboard.press("Shift+Tab")
        stops = _tab_through(page, len(expected))
        keys = [s["key"] for s in stops]
        assert keys == expected, f"tab order on {path}: {keys} != {expected}"
        indexes = [s["index"] for s in stops]
        assert indexes == sorted(indexes), "the keyboard jumps backwards"
        for stop in stops:
            assert stop["ring"], f"no visible focus ring on {stop['key']} ({path})"
            assert stop["inView"] and not stop["covered"], f"{stop['key']} focused out of sight"


@pytest.mark.parametrize("path", ["/", "/consultations/{slug}/questions/1", "/how-to-report"])
def test_tabbing_through_a_whole_page_never_gets_stuck_and_focus_stays_in_sight(site, path) -> None:
    with sync_playwright() as playwright, ExitStack() as stack:
        page = _page(stack, playwright, site, "citizen", viewport=PHONE)
        page.goto(site.url + path.format(slug=site.open_slug))
        total = len(page.evaluate(FOCUSABLE, "body"))
        stops = _tab_through(page, total + 3)
        reached = [s["index"] for s in stops]
        # every control is reached once, in order, and focus moves on from each (no trap)
        assert len(set(reached)) >= total, (len(set(reached)), total)
        assert all(a != b for a, b in itertools.pairwise(reached)), "focus stayed on one control"
        for stop in stops:
            assert stop["ring"], f"no visible focus on {stop['key']}"
            assert stop["inView"] and not stop["covered"], f"{stop['key']} hidden when focused"


REFLOW_PAGES = [
    "/",
    "/consultations/{slug}",
    "/consultations/{slug}/questions/1",
    "/how-to-report",
    "/staying-safe",
    "/accessibility",
    "/transparency",
    "/account",
    "/organise",
    "/admin",
    "/moderation",
]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_pages_reflow_at_320_px_without_scrolling_sideways(site, language) -> None:
    wide = []
    with sync_playwright() as playwright, ExitStack() as stack:
        page = _page(stack, playwright, site, "admin", viewport={"width": 320, "height": 640})
        page.context.add_cookies([{"name": "reclaim_lang", "value": language, "url": site.url}])
        for path in REFLOW_PAGES:
            page.goto(site.url + path.format(slug=site.open_slug))
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                culprit = page.evaluate(
                    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321).slice(-3).map(e => e.tagName + '.' + e.className)"
                )
                wide.append((path, width, culprit))
    assert not wide, wide


def test_on_a_phone_the_header_is_one_row_and_its_menu_opens_without_javascript(site) -> None:
    with sync_playwright() as playwright, ExitStack() as stack:
        for role in (None, "admin"):
            page = _page(stack, playwright, site, role, viewport=PHONE, javascript_enabled=False)
            page.goto(site.url + "/")
            rows = page.evaluate(
                "[...document.querySelectorAll('.site-header > .container > *')]"
                ".filter(e => e.getClientRects().length).map(e => Math.round(e.getBoundingClientRect().top))"
            )
            assert max(rows) - min(rows) <= 12, f"header wraps: {rows}"
            header = page.locator(".site-header").bounding_box()
            assert header["height"] <= 80, header
            nav = page.get_by_role("navigation", name="Main")
            expect(nav).to_be_hidden()
            page.locator("summary.site-menu__toggle").click()
            expect(page.locator("summary.site-menu__toggle")).to_have_accessible_name("Menu")
            expect(nav).to_be_visible()
            expect(nav.get_by_role("link", name="Consultations")).to_be_visible()
            # targets in the header and the footer are at least 24 x 24 px
            for box in page.locator(
                ".site-header a, .site-header button, .site-header summary, .site-footer li a"
            ).all():
                if box.is_visible():
                    size = box.bounding_box()
                    assert size["height"] >= 24 and size["width"] >= 24, (box.inner_text(), size)


def test_on_a_phone_a_question_page_shows_the_question_in_the_first_screen(site) -> None:
    with sync_playwright() as playwright, ExitStack() as stack:
        for role in (None, "citizen"):
            page = _page(stack, playwright, site, role, viewport=PHONE)
            page.goto(site.url + f"/consultations/{site.open_slug}/questions/1")
            heading = page.locator("h1").bounding_box()
            assert heading["y"] + heading["height"] <= PHONE["height"], heading


def test_a_refused_form_announces_its_errors_links_them_to_their_fields_and_says_so_in_the_title(
    site,
) -> None:
    with sync_playwright() as playwright, ExitStack() as stack:
        for javascript in (False, True):
            page = _page(stack, playwright, site, "organiser", javascript_enabled=javascript)
            page.goto(site.url + "/organise/new")
            assert page.title().startswith("New consultation")
            page.get_by_role("button", name="Create draft").click()
            summary = page.locator(".error-summary")
            expect(summary).to_be_visible()
            assert summary.get_attribute("role") == "alert"
            assert page.title().startswith("Error: New consultation"), page.title()
            links = summary.locator("a").all()
            assert len(links) >= 3
            for link in links:
                target = link.get_attribute("href")[1:]
                field = page.locator(f"[id='{target}']")
                assert field.count() == 1, f"the summary links #{target}, which is not there"
                described = field.get_attribute("aria-describedby") or ""
                if field.evaluate("e => ['INPUT','SELECT','TEXTAREA'].includes(e.tagName)"):
                    assert field.get_attribute("aria-invalid") == "true", target
                    assert f"{target}-error" in described, (target, described)
                link.click()
                assert page.evaluate("document.activeElement.id") == target
            if javascript:  # the script moves focus to the summary on load
                page.reload()


def test_every_page_title_names_the_page(site) -> None:
    from tests.support.accessibility import crawl

    wrong = []
    with sync_playwright() as playwright, ExitStack() as stack:
        for role in (None, "admin", "moderator", "organiser"):
            page = _page(stack, playwright, site, role)
            for url in crawl(page, site.url, ["/", "/admin", "/moderation", "/organise"], limit=30):
                title = page.title()
                heading = " ".join(page.locator("h1").first.inner_text().split())
                name = title.rsplit(" – ", 1)[0]
                words = set(re.findall(r"\w+", heading.lower()))
                named = set(re.findall(r"\w+", name.lower()))
                # the title says which page this is: most of its heading's words
                if not named or len(words & named) < 0.6 * min(len(words), len(named)):
                    wrong.append((url, title, heading))
    assert not wrong, wrong


def test_leave_this_site_replaces_the_page_so_back_does_not_return(site) -> None:
    with sync_playwright() as playwright, ExitStack() as stack:
        page = _page(stack, playwright, site)
        page.goto(site.url + "/")
        page.goto(site.url + "/how-to-report")
        page.get_by_role("link", name="Leave this site").click()
        page.wait_for_url(f"{NEUTRAL}**")
        page.go_back()
        assert page.url.rstrip("/") == site.url, page.url  # not the page that was left


def test_pressing_shift_three_times_leaves_the_site(site) -> None:
    with sync_playwright() as playwright, ExitStack() as stack:
        page = _page(stack, playwright, site)
        page.goto(site.url + "/staying-safe")
        page.keyboard.press("Shift")
        page.keyboard.press("a")  # another key in between starts the count again
        page.keyboard.press("Shift")
        page.keyboard.press("Shift")
        assert page.url.startswith(site.url)
        page.keyboard.press("Shift")
        page.wait_for_url(f"{NEUTRAL}**")


def test_leave_this_site_is_a_plain_link_without_javascript(site) -> None:
    with sync_playwright() as playwright, ExitStack() as stack:
        page = _page(stack, playwright, site, javascript_enabled=False)
        page.goto(site.url + "/")
        link = page.get_by_role("link", name="Leave this site")
        assert link.get_attribute("href") == NEUTRAL
        expect(
            page.get_by_role("link", name="How to leave quickly and clear your history")
        ).to_be_visible()
        link.click()
        page.wait_for_url(f"{NEUTRAL}**")
