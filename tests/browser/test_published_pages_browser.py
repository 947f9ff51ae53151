"""What only a browser shows on the pages and documents an organisation publishes: the stance
chart's legend in the bar's colours with no gap in the bar, and the like."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from app.consultations import catalogue
from app.db import session_scope
from tests.factories import add_response, make_consultation
from tests.support.browser import chromium_context
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    with live_server(tmp_path) as live:
        with session_scope(live.engine) as session:
            consultation = make_consultation(session, questions=1)
            (question,) = catalogue.questions_of(session, consultation)
            for stance in ("agree", "agree", "agree", "disagree", "neutral", "not_sure", "agree"):
                add_response(session, consultation, {question.id: stance})
            live.slug = consultation.slug
        yield live


SWATCHES = """() => [...document.querySelectorAll('#answer_list .stance-bar__legend li')].map(li => ({
  name: li.querySelector('.stance-bar__name').textContent,
  swatch: getComputedStyle(li, '::before').backgroundColor,
}))"""
FILLS = """() => Object.fromEntries([...document.querySelectorAll('#answer_list svg.stance-bar rect')]
  .map(r => [r.querySelector('title').textContent.split(':')[0], getComputedStyle(r).fill]))"""
COVER = """() => {
  const svg = document.querySelector('#answer_list svg.stance-bar').getBoundingClientRect();
  const rects = [...document.querySelectorAll('#answer_list svg.stance-bar rect')]
    .map(r => r.getBoundingClientRect());
  return {svg: [svg.left, svg.right], first: rects[0].left, last: rects.at(-1).right,
          joins: rects.slice(1).map((r, i) => r.left - rects[i].right)};
}"""


def test_the_legend_shows_each_stance_in_its_bar_colour_and_the_bar_has_no_gap(server) -> None:
    with sync_playwright() as playwright, chromium_context(playwright) as context:
        page = context.new_page()
        page.goto(f"{server.url}/consultations/{server.slug}/questions/1")
        swatches = page.evaluate(SWATCHES)
        fills = page.evaluate(FILLS)
        assert [s["name"] for s in swatches] == ["Agree", "Disagree", "Neutral", "Not sure"]
        for swatch in swatches:
            assert swatch["swatch"] == fills[swatch["name"]], swatch
        assert len({s["swatch"] for s in swatches}) == 4  # four colours, not four grey boxes
        cover = page.evaluate(COVER)
        left, right = cover["svg"]
        assert abs(cover["first"] - left) < 1.5 and abs(cover["last"] - right) < 1.5, cover
        assert all(abs(gap) < 0.5 for gap in cover["joins"]), cover
