"""Organisers write a consultation and its questions in Welsh beside English; the standing
pages ship in both languages."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlmodel import select

from app.accounts.models import Role
from app.admin import pages
from app.consultations.models import Consultation, Question
from tests.factories import consultation_form, csrf_token, make_consultation, make_user, sign_in


def test_an_organiser_gives_a_consultation_and_a_question_welsh_wording(
    client, outbox, session
) -> None:
    make_user(session, email="trefnydd@example.test", pseudonym="Trefnydd", roles={Role.organiser})
    session.commit()
    sign_in(client, outbox, "trefnydd@example.test")
    form = consultation_form(client, session)
    form.update(
        title_cy="Ymgynghoriad y gwanwyn",
        summary_cy="Crynodeb byr.",
        introduction_cy="Atebwch y *cwestiynau*, os gwelwch yn dda.",
        content_note="Asks about harassment.",
        content_note_cy="Yn holi am aflonyddu.",
    )
    assert client.post("/organise/new", data=form, follow_redirects=False).status_code == 303
    c = session.exec(select(Consultation).where(Consultation.slug == "spring-consultation")).one()
    session.refresh(c)
    assert (
        c.title_cy == "Ymgynghoriad y gwanwyn" and "<em>cwestiynau</em>" in c.introduction_cy_html
    )
    path = f"/organise/{c.slug}"
    added = client.post(
        f"{path}/questions",
        data={
            "csrf_token": csrf_token(client, path),
            "text": "Should the law change?",
            "text_cy": "A ddylai'r gyfraith newid?",
            "stance_prompt_cy": "Ydych chi'n cytuno?",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    question = session.exec(select(Question).where(Question.consultation_id == c.id)).one()
    session.refresh(question)
    assert question.text_cy == "A ddylai'r gyfraith newid?"


def test_a_welsh_field_over_its_limit_is_refused_beside_it_and_what_was_typed_is_kept(
    client, outbox, session
) -> None:
    make_user(session, email="hir@example.test", pseudonym="Hir", roles={Role.organiser})
    session.commit()
    sign_in(client, outbox, "hir@example.test")
    form = consultation_form(client, session)
    form["title_cy"] = "t" * 201
    refused = client.post("/organise/new", data=form)
    assert refused.status_code == 422
    page = BeautifulSoup(refused.text, "html.parser")
    assert "201" in page.select_one("#title_cy-error").get_text()
    assert page.select_one("#title_cy")["value"] == "t" * 201
    assert page.select_one("#title")["value"] == form["title"]


def test_readers_see_the_welsh_wording_and_english_where_there_is_none_marked_as_english(
    client, session
) -> None:
    c = make_consultation(session, status="open", questions=2)
    first, second = session.exec(
        select(Question).where(Question.consultation_id == c.id).order_by(Question.position)
    ).all()
    first.text_cy = "A ddylai'r gyfraith newid?"
    first.stance_prompt_cy = "Ydych chi'n cytuno?"
    session.add(first)
    session.commit()
    client.get("/language/cy")
    page = BeautifulSoup(client.get(f"/consultations/{c.slug}/questions/1").text, "html.parser")
    assert "A ddylai'r gyfraith newid?" in page.h1.get_text()
    assert page.h1.select_one("[lang='en']") is None
    english = BeautifulSoup(client.get(f"/consultations/{c.slug}/questions/2").text, "html.parser")
    marked = english.h1.select_one("span[lang='en']")
    assert marked is not None and marked.get_text() == second.text
    client.get("/language/en")
    page = BeautifulSoup(client.get(f"/consultations/{c.slug}/questions/1").text, "html.parser")
    assert first.text in page.h1.get_text() and page.h1.select_one("[lang]") is None


def test_every_standing_page_ships_in_welsh_with_the_same_sections(client) -> None:
    for slug in pages.PAGES:
        english = pages.default_page(slug, "en")
        welsh = pages.default_page(slug, "cy")
        assert welsh.language == "cy" and welsh.title != english.title
        assert english.html.count("<h2") == welsh.html.count("<h2"), slug
        assert english.html.count("<h3") == welsh.html.count("<h3"), slug
    client.get("/language/cy")
    page = BeautifulSoup(client.get("/accessibility").text, "html.parser")
    assert page.h1.get_text() == "Datganiad hygyrchedd"
    assert not page.select_one("article.prose").has_attr("lang")
    headings = [h.get_text() for h in page.select("article h2, article h3")]
    for section in ("Statws cydymffurfio", "Cynnwys nad yw'n hygyrch", "Gweithdrefn orfodi"):
        assert section in headings


def test_the_accessibility_statement_follows_the_model_statement(client) -> None:
    page = BeautifulSoup(client.get("/accessibility").text, "html.parser")
    headings = [h.get_text() for h in page.select("article h2, article h3")]
    for section in (
        "Compliance status",
        "Non-accessible content",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Preparation of this accessibility statement",
    ):
        assert section in headings, section
    text = page.get_text(" ")
    assert "prepared on" in text and "last reviewed" in text
    footer = BeautifulSoup(client.get("/").text, "html.parser").select_one("footer")
    for name in (
        "Accessibility",
        "Privacy notice",
        "Terms of use",
        "Site rules",
        "About and contact",
    ):
        assert footer.find("a", string=name) is not None, name
