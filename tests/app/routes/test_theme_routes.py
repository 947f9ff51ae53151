"""The themes page as an organiser uses it, without JavaScript: queue a run (only a row is
written in the request), the worker performs it, then review: accept, rename, merge, move,
reject, each a form that posts and redirects; a refused form answers 422 with the input kept."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from app.analysis.models import AnswerTag, SuggestionState, ThemeRun, ThemeSuggestion
from app.analysis.themes import review, runs
from app.consultations import catalogue
from tests.app.analysis.test_themes import labelled_answers
from tests.factories import CSRF_META, add_response, make_consultation


@pytest.fixture
def worker(worker_sessions):
    """Performs queued runs the way the background worker does, in sessions of its own."""
    return lambda: runs.run_pending(worker_sessions)


@pytest.fixture
def consultation(session):
    c = make_consultation(session, status="closed", questions=1)
    (q,) = catalogue.questions_of(session, c)
    for _, text in labelled_answers():
        add_response(session, c, {q.id: "agree"}, texts={q.id: text})
    session.commit()
    return c


def _csrf(page) -> str:
    return CSRF_META.search(page.text).group(1)


def _page(client, c):
    page = client.get(f"/organise/{c.slug}/questions/1/themes")
    assert page.status_code == 200
    return page


def _found(organiser_client, c, worker):
    page = _page(organiser_client, c)
    queued = organiser_client.post(
        f"/organise/{c.slug}/questions/1/themes/run", data={"csrf_token": _csrf(page)}
    )
    assert queued.status_code == 303
    assert worker() == 1
    return _page(organiser_client, c)


def test_finding_themes_is_queued_by_the_page_and_performed_by_the_worker(
    organiser_client, session, consultation
):
    page = _page(organiser_client, consultation)
    assert "not been looked for yet" in page.text
    queued = organiser_client.post(
        f"/organise/{consultation.slug}/questions/1/themes/run", data={"csrf_token": _csrf(page)}
    )
    assert queued.status_code == 303
    run = session.exec(select(ThemeRun)).one()
    assert run.state == "queued" and run.processed == 0  # the request did no theming
    waiting = _page(organiser_client, consultation)
    soup = BeautifulSoup(waiting.text, "html.parser")
    status = soup.select_one("#theme_run")
    assert "Waiting for the background worker" in status.text
    assert status.get("hx-trigger") == "every 2s"  # htmx polls the block while it waits
    assert soup.select_one("#theme_run form") is None  # no second run while one is queued
    again = organiser_client.post(
        f"/organise/{consultation.slug}/questions/1/themes/run",
        data={"csrf_token": _csrf(waiting)},
    )
    assert again.status_code == 303
    assert len(session.exec(select(ThemeRun)).all()) == 1


def test_the_polled_block_is_sent_alone_to_htmx(organiser_client, consultation, worker):
    _found(organiser_client, consultation, worker)
    block = organiser_client.get(
        f"/organise/{consultation.slug}/questions/1/themes",
        headers={"HX-Request": "true", "HX-Target": "theme_run"},
    )
    assert block.status_code == 200
    assert block.text.lstrip().startswith('<section id="theme_run"')
    assert "Last run finished" in block.text


def test_suggestions_are_shown_with_size_phrases_and_forms(organiser_client, consultation, worker):
    page = _found(organiser_client, consultation, worker)
    soup = BeautifulSoup(page.text, "html.parser")
    cards = soup.select("article.theme--suggested")
    assert len(cards) >= 3
    first = cards[0]
    assert re.search(r"\d+ answers", first.select_one(".theme__size").text)
    assert first.select("blockquote")  # quotations
    actions = {f["action"].rsplit("/", 1)[1] for f in first.select("form")}
    assert {"accept", "merge", "reject", "move"} <= actions


def _gone(session, suggestion_id: int) -> bool:
    session.expire_all()
    return session.get(ThemeSuggestion, suggestion_id) is None


def _card_form(page, suggestion_id: int, action: str):
    soup = BeautifulSoup(page.text, "html.parser")
    form = soup.select_one(f"#theme-{suggestion_id} form[action$='/{action}']")
    assert form is not None
    return {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}


def test_accepting_through_the_page_tags_the_answers(
    organiser_client, session, consultation, worker
):
    page = _found(organiser_client, consultation, worker)
    first = session.exec(
        select(ThemeSuggestion).where(ThemeSuggestion.state == "suggested")
    ).first()
    data = _card_form(page, first.id, "accept") | {"label": "Keeping the evidence"}
    done = organiser_client.post(
        f"/organise/{consultation.slug}/themes/{first.id}/accept", data=data
    )
    assert done.status_code == 303
    session.refresh(first)
    assert first.state == SuggestionState.accepted
    assert session.exec(select(AnswerTag).where(AnswerTag.tag_id == first.tag_id)).all()
    after = _page(organiser_client, consultation)
    accepted = BeautifulSoup(after.text, "html.parser").select("article.theme--accepted h3")
    assert [h.text for h in accepted] == ["Keeping the evidence"]


def test_an_empty_name_is_refused_beside_its_field_with_the_input_kept(
    organiser_client, session, consultation, worker
):
    page = _found(organiser_client, consultation, worker)
    first = session.exec(
        select(ThemeSuggestion).where(ThemeSuggestion.state == "suggested")
    ).first()
    data = _card_form(page, first.id, "accept") | {"label": "   "}
    refused = organiser_client.post(
        f"/organise/{consultation.slug}/themes/{first.id}/rename", data=data
    )
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.text, "html.parser")
    assert soup.select_one(f"#theme-{first.id}-label-error").text == "Enter the theme's name."
    assert soup.select_one(".error-summary a")["href"] == f"#theme-{first.id}-label"
    session.refresh(first)
    assert first.label != ""  # nothing changed
    too_long = data | {"label": "x" * 81}
    refused = organiser_client.post(
        f"/organise/{consultation.slug}/themes/{first.id}/rename", data=too_long
    )
    assert refused.status_code == 422
    kept = BeautifulSoup(refused.text, "html.parser").select_one(f"#theme-{first.id}-label")
    assert kept["value"] == "x" * 81


def test_merge_move_and_reject_through_the_page(organiser_client, session, consultation, worker):
    page = _found(organiser_client, consultation, worker)
    a, b, c, *_ = session.exec(
        select(ThemeSuggestion)
        .where(ThemeSuggestion.state == "suggested")
        .order_by(ThemeSuggestion.position)
    ).all()
    slug = consultation.slug
    merged = organiser_client.post(
        f"/organise/{slug}/themes/{b.id}/merge",
        data=_card_form(page, b.id, "merge") | {"into": str(a.id)},
    )
    assert merged.status_code == 303 and _gone(session, b.id)
    page = _page(organiser_client, consultation)
    soup = BeautifulSoup(page.text, "html.parser")
    boxes = soup.select(f"#theme-{c.id} input[name=answer]")
    chosen = [boxes[0]["value"]]
    moved = organiser_client.post(
        f"/organise/{slug}/themes/{c.id}/move",
        data={"csrf_token": _csrf(page), "answer": chosen, "to": str(a.id)},
    )
    assert moved.status_code == 303
    nothing = organiser_client.post(
        f"/organise/{slug}/themes/{c.id}/move",
        data={"csrf_token": _csrf(page), "to": str(a.id)},
    )
    assert nothing.status_code == 422
    assert "Choose at least one answer to move." in nothing.text
    page = _page(organiser_client, consultation)
    rejected = organiser_client.post(
        f"/organise/{slug}/themes/{c.id}/reject", data=_card_form(page, c.id, "reject")
    )
    assert rejected.status_code == 303 and _gone(session, c.id)


def test_a_stale_form_changes_nothing(organiser_client, session, consultation, worker):
    page = _found(organiser_client, consultation, worker)
    first = session.exec(
        select(ThemeSuggestion).where(ThemeSuggestion.state == "suggested")
    ).first()
    form = _card_form(page, first.id, "accept")
    assert (
        organiser_client.post(
            f"/organise/{consultation.slug}/themes/{first.id}/rename", data=form | {"label": "New"}
        ).status_code
        == 303
    )
    stale = organiser_client.post(
        f"/organise/{consultation.slug}/themes/{first.id}/accept", data=form
    )
    assert stale.status_code == 409
    session.refresh(first)
    assert first.state == "suggested" and first.label == "New"


def test_themes_of_another_consultation_are_not_found(
    organiser_client, session, consultation, worker
):
    _found(organiser_client, consultation, worker)
    other = make_consultation(session, status="closed", questions=1)
    first = session.exec(select(ThemeSuggestion)).first()
    page = _page(organiser_client, consultation)
    response = organiser_client.post(
        f"/organise/{other.slug}/themes/{first.id}/reject",
        data={"csrf_token": _csrf(page), "version": str(first.version)},
    )
    assert response.status_code == 404


def test_the_page_reads_the_same_number_of_queries_whatever_the_number_of_themes(
    organiser_client, session, consultation, worker, count_queries
):
    _found(organiser_client, consultation, worker)
    path = f"/organise/{consultation.slug}/questions/1/themes"

    def count() -> int:
        count_queries.statements.clear()
        assert organiser_client.get(path).status_code == 200
        return count_queries.count

    many = count()
    suggested = session.exec(
        select(ThemeSuggestion).where(ThemeSuggestion.state == "suggested")
    ).all()
    for s in suggested[2:]:
        review.reject(session, consultation=consultation, suggestion_id=s.id, version=s.version)
    session.commit()
    assert count() == many
