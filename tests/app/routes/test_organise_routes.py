"""Organisers create, word, publish and close consultations through the real routes."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlmodel import Session, select

from app.consultations import catalogue
from app.consultations.models import Consultation
from tests.factories import (
    add_response,
    csrf_token,
    make_consultation,
    make_theme,
    make_user,
    sign_in,
)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_organiser_pages_refuse_citizens_and_send_visitors_to_sign_in(
    client, outbox, session
) -> None:
    visitor = client.get("/organise")
    assert visitor.status_code == 303 and visitor.headers["location"].startswith("/auth/sign-in")
    make_user(session, email="citizen@example.test")
    sign_in(client, outbox, "citizen@example.test")
    assert client.get("/organise").status_code == 403
    assert client.get("/organise/new").status_code == 403


def _form(**overrides) -> dict:
    values = {
        "title": "Prosecuting social media cases",
        "slug": "social-media-cases",
        "summary": "Revised guidelines.",
        "introduction": "We want to hear from you.",
        "documents": "Interim guidelines | https://example.org/guidelines.pdf",
        "opens_at": "2030-03-03T09:00",
        "closes_at": "2030-05-12T23:59",
        "moderation_mode": "post",
        "required_level": "email",
    }
    values.update(overrides)
    return values


def test_invalid_consultation_form_reports_every_problem_and_keeps_input(
    organiser_client, session
) -> None:
    client = organiser_client
    token = csrf_token(client, "/organise/new")
    page = client.post(
        "/organise/new",
        data={
            **_form(slug="Bad Slug!", closes_at="2030-01-01T00:00", documents="just a title"),
            "theme_id": "",
            "csrf_token": token,
        },
    )
    assert page.status_code == 422
    summary = soup(page).select(".error-summary li a")
    assert {a["href"] for a in summary} == {"#theme_id", "#slug", "#closes_at", "#documents"}
    assert soup(page).select_one("#slug")["value"] == "Bad Slug!"
    assert soup(page).select_one("#slug")["aria-invalid"] == "true"
    assert (
        session.exec(
            select(Consultation).where(Consultation.title == "Prosecuting social media cases")
        ).first()
        is None
    )


def test_organiser_creates_words_reorders_publishes_and_closes_a_consultation(
    organiser_client, session: Session
) -> None:
    client = organiser_client
    theme = make_theme(session)
    token = csrf_token(client, "/organise/new")
    created = client.post(
        "/organise/new", data={**_form(), "theme_id": str(theme.id), "csrf_token": token}
    )
    assert created.status_code == 303
    assert created.headers["location"] == "/organise/social-media-cases"
    c = catalogue.get_consultation(session, "social-media-cases", can_see_drafts=True)
    assert not c.is_published
    path = "/organise/social-media-cases"
    for text in ("Is the guidance clear?", "Are the examples helpful?", "Anything else?"):
        added = client.post(
            f"{path}/questions", data={"text": text, "csrf_token": csrf_token(client, path)}
        )
        assert added.status_code == 303
    empty = client.post(
        f"{path}/questions", data={"text": " ", "csrf_token": csrf_token(client, path)}
    )
    assert empty.status_code == 422 and soup(empty).select_one("#new-text-error")
    moved = client.post(
        f"{path}/questions/3/move", data={"direction": "up", "csrf_token": csrf_token(client, path)}
    )
    assert moved.status_code == 303
    edited = client.post(
        f"{path}/questions/1",
        data={"text": "Is the revised guidance clear?", "csrf_token": csrf_token(client, path)},
    )
    assert edited.status_code == 303
    session.expire_all()
    assert [q.text for q in catalogue.questions_of(session, c)] == [
        "Is the revised guidance clear?",
        "Anything else?",
        "Are the examples helpful?",
    ]
    page = client.get(path)
    assert soup(page).select_one("#q2-text").text == "Anything else?"
    published = client.post(f"{path}/publish", data={"csrf_token": csrf_token(client, path)})
    assert published.status_code == 303
    session.expire_all()
    assert c.is_published
    # Published: questions are locked, with the reason shown.
    locked = client.post(
        f"{path}/questions", data={"text": "Late idea?", "csrf_token": csrf_token(client, path)}
    )
    assert locked.status_code == 409
    assert "can no longer be changed" in locked.text
    assert "can no longer be changed" in soup(client.get(path)).select_one("#question-lock").text


def test_questions_with_answers_cannot_change_and_the_page_says_why(
    organiser_client, session
) -> None:
    client = organiser_client
    c = make_consultation(session, questions=2, is_published=False)
    q1, _ = catalogue.questions_of(session, c)
    add_response(session, c, {q1.id: "agree"}, imported=True)
    path = f"/organise/{c.slug}"
    refused = client.post(
        f"{path}/questions/1", data={"text": "Reworded?", "csrf_token": csrf_token(client, path)}
    )
    assert refused.status_code == 409
    assert "1 answer has been received" in refused.text
    assert "would change what that answer means" in refused.text
    session.expire_all()
    assert catalogue.questions_of(session, c)[0].text == "Question 1?"


def test_close_early_ends_an_open_consultation(organiser_client, session) -> None:
    client = organiser_client
    c = make_consultation(session, status="open")
    path = f"/organise/{c.slug}"
    dashboard = BeautifulSoup(client.get(path).text, "html.parser")
    assert dashboard.select_one("a.button--danger")["href"] == f"{path}/close"  # asks first
    confirm = BeautifulSoup(client.get(f"{path}/close").text, "html.parser")
    assert confirm.select_one(f'form[action="{path}/close"] input#confirm[name="confirm"]')
    unticked = client.post(f"{path}/close", data={"csrf_token": csrf_token(client, path)})
    assert unticked.status_code == 422
    error = BeautifulSoup(unticked.text, "html.parser").select_one("#confirm-error")
    assert "Tick the box" in error.get_text()
    session.expire_all()
    assert c.closed_early_at is None  # nothing changed
    data = {"csrf_token": csrf_token(client, path), "confirm": "yes"}
    closed = client.post(f"{path}/close", data=data)
    assert closed.status_code == 303
    session.expire_all()
    assert c.closed_early_at is not None
    again = client.post(f"{path}/close", data=data)
    assert again.status_code == 409


def test_dashboard_shows_figures_per_question_and_organisations(organiser_client, session) -> None:
    c = make_consultation(session, questions=2)
    q1, q2 = catalogue.questions_of(session, c)
    add_response(session, c, {q1.id: "agree", q2.id: "disagree"})
    add_response(
        session,
        c,
        {q1.id: "not_sure"},
        imported=True,
        respondent_type="organisation",
        organisation_name="Law Society",
        channel="email",
    )
    page = organiser_client.get(f"/organise/{c.slug}")
    assert page.status_code == 200
    doc = soup(page)
    assert doc.select_one("#stat-respondents").text == "2"
    rows = doc.select("#question-progress tbody tr")
    assert [td.text for td in rows[0].select("td.num")][:2] == ["2", "0 of 2"]
    assert "Law Society" in page.text
