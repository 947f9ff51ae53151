"""The analyst workspace: answers one after another, coded by button, Annex A follows."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from app.analysis import tallies
from app.analysis.grouping import detect_campaigns
from app.consultations import catalogue
from kernel.clock import utcnow
from tests.factories import add_response, csrf_token, make_consultation


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_workspace_shows_next_uncoded_answer_with_declared_stance_and_progress(
    organiser_client, session
) -> None:
    c = make_consultation(session, questions=1)
    (q1,) = catalogue.questions_of(session, c)
    for stance in ("agree", "disagree", "neutral"):
        add_response(session, c, {q1.id: stance})
    path = f"/organise/{c.slug}/questions/1/code"
    page = organiser_client.get(path)
    assert page.status_code == 200
    doc = soup(page)
    assert doc.select_one("#progress-text").text == "0 of 3 coded"
    assert doc.select_one("#declared-stance").text == "Agree"
    form = doc.select_one(".workspace__form")
    coded = organiser_client.post(
        form["action"],
        data={"evaluation": "negative", "csrf_token": csrf_token(organiser_client, path)},
    )
    assert coded.status_code == 303
    after = organiser_client.get(coded.headers["location"])
    assert soup(after).select_one("#progress-text").text == "1 of 3 coded"
    assert soup(after).select_one("#declared-stance").text == "Disagree"
    row = tallies.annex_a(session, consultation=c).main.rows[0]
    assert row.counts == (0, 2, 1, 0, 0)


def test_htmx_coding_answers_with_hx_location_to_the_workspace_block(
    organiser_client, session
) -> None:
    c = make_consultation(session, questions=1)
    (q1,) = catalogue.questions_of(session, c)
    add_response(session, c, {q1.id: "agree"})
    path = f"/organise/{c.slug}/questions/1/code"
    form = soup(organiser_client.get(path)).select_one(".workspace__form")
    headers = {
        "HX-Request": "true",
        "HX-Target": "workspace",
        "X-CSRF-Token": csrf_token(organiser_client, path),
    }
    done = organiser_client.post(form["action"], data={"evaluation": "neutral"}, headers=headers)
    assert done.status_code == 204
    location = json.loads(done.headers["HX-Location"])
    assert location["target"] == "#workspace"
    block = organiser_client.get(
        location["path"], headers={"HX-Request": "true", "HX-Target": "workspace"}
    )
    assert block.text.lstrip().startswith('<div id="workspace"')
    assert "<html" not in block.text
    assert soup(block).select_one("#all-coded")
    assert soup(block).select_one('#annex-all td[data-category="neutral"] a').text == "1"


def test_coding_without_an_evaluation_is_refused_with_422(organiser_client, session) -> None:
    c = make_consultation(session, questions=1)
    (q1,) = catalogue.questions_of(session, c)
    add_response(session, c, {q1.id: "agree"})
    path = f"/organise/{c.slug}/questions/1/code"
    form = soup(organiser_client.get(path)).select_one(".workspace__form")
    refused = organiser_client.post(
        form["action"],
        data={"evaluation": "furious", "csrf_token": csrf_token(organiser_client, path)},
    )
    assert refused.status_code == 422
    assert soup(refused).select_one("#evaluation-error")


def test_campaign_group_is_found_and_coded_at_once(organiser_client, session) -> None:
    c = make_consultation(session, questions=1)
    (q1,) = catalogue.questions_of(session, c)
    template = (
        "Stop the proposal now. It threatens free speech online and will chill "
        "legitimate debate across the country."
    )
    for i in range(6):
        add_response(session, c, {q1.id: "agree"}, texts={q1.id: template + f" Signed {i}."})
    add_response(
        session, c, {q1.id: "agree"}, texts={q1.id: "A different, careful answer about examples."}
    )
    assert detect_campaigns(session, consultation=c, now=utcnow()) == 1
    path = f"/organise/{c.slug}/questions/1/code"
    page = organiser_client.get(path)
    group_form = soup(page).select_one(".campaign-groups form")
    assert "6 answers" in soup(page).select_one(".campaign-groups h3").text
    done = organiser_client.post(
        group_form["action"],
        data={"evaluation": "negative", "csrf_token": csrf_token(organiser_client, path)},
    )
    assert done.status_code == 303
    annex = tallies.annex_a(session, consultation=c)
    assert annex.main.rows[0].counts == (1, 6, 0, 0, 0)
    campaign, other = tallies.annex_a(session, consultation=c, split=tallies.Split.campaign).tables
    assert campaign.respondents == 6 and other.respondents == 1
    summary = organiser_client.get(f"/organise/{c.slug}/export/summary.md")
    assert "6 of them were part of a campaign." in summary.text


def test_annex_cell_lists_the_answers_behind_it(organiser_client, session) -> None:
    c = make_consultation(session, questions=1)
    (q1,) = catalogue.questions_of(session, c)
    add_response(session, c, {q1.id: "agree"}, texts={q1.id: "Helpful and clear guidance."})
    add_response(session, c, {q1.id: "disagree"}, texts={q1.id: "Too vague to use."})
    add_response(session, c, {})
    annex = organiser_client.get(f"/organise/{c.slug}/annex-a")
    link = soup(annex).select_one('#annex-all td[data-category="positive"] a')
    assert link.text == "1"
    cell = organiser_client.get(link["href"])
    rows = soup(cell).select("#cell-answers tbody tr")
    assert len(rows) == 1 and "Helpful and clear guidance." in rows[0].text
    silent = organiser_client.get(
        soup(annex).select_one('#annex-all td[data-category="no_response"] a')["href"]
    )
    assert len(soup(silent).select("#cell-answers tbody tr")) == 1
    split = organiser_client.get(f"/organise/{c.slug}/annex-a?split=respondent_type")
    assert soup(split).select_one("#annex-organisation")
