"""The consultations index (theme, status, words) and a consultation's page: one "Respond"
action, the deadline in words, who runs it and the other ways to respond, an even list of
questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup
from sqlmodel import Session

from app.consultations import rules
from app.consultations.models import Consultation
from kernel import localtime
from tests.factories import add_response, make_consultation, make_theme, make_user, sign_in


def _page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def _titles(page: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".consultation-list h2 a")]


def test_the_index_lists_published_consultations_filtered_by_theme_status_and_words(
    client, session: Session
) -> None:
    policing, platforms = make_theme(session), make_theme(session)
    open_one = make_consultation(session, theme=policing, title="Police response to threats")
    closed = make_consultation(session, theme=policing, status="closed", title="Police training")
    upcoming = make_consultation(session, theme=platforms, status="upcoming", title="App stores")
    make_consultation(session, theme=platforms, is_published=False, title="A draft nobody sees")
    everything = _page(client, "/consultations")
    assert _titles(everything) == [open_one.title, upcoming.title, closed.title]
    assert everything.select_one("#result-count").get_text(strip=True) == "3 consultations found."
    by_theme = _page(client, f"/consultations?theme={policing.slug}")
    assert _titles(by_theme) == [open_one.title, closed.title]
    assert _titles(_page(client, "/consultations?status=closed")) == [closed.title]
    assert _titles(_page(client, "/consultations?status=upcoming")) == [upcoming.title]
    found = _page(client, "/consultations?q=POLICE+threats")
    assert _titles(found) == [open_one.title]
    assert found.select_one("#result-count").get_text(strip=True) == "1 consultation found."
    assert found.select_one("#filter-q")["value"] == "POLICE threats"  # what was typed is kept
    none = _page(client, "/consultations?q=100%25_")
    assert _titles(none) == [] and "No published consultation matches" in none.main.get_text()


def test_an_unknown_theme_or_status_is_left_out_not_an_error(client, session: Session) -> None:
    make_consultation(session, title="Still listed")
    page = _page(client, "/consultations?theme=nowhere&status=sideways")
    assert _titles(page) == ["Still listed"]


def test_the_breadcrumb_and_the_menu_lead_to_the_index(client, session: Session) -> None:
    consultation = make_consultation(session)
    page = _page(client, f"/consultations/{consultation.slug}")
    assert page.select_one(".breadcrumbs a")["href"] == "/consultations"
    assert page.select_one(".site-nav a")["href"] == "/consultations"


def _consultation_page(client, consultation: Consultation) -> BeautifulSoup:
    return _page(client, f"/consultations/{consultation.slug}")


def test_the_page_has_one_respond_action_leading_to_the_first_question(
    client, session: Session
) -> None:
    consultation = make_consultation(session, questions=3)
    page = _consultation_page(client, consultation)
    (respond,) = [a for a in page.select("main a.button") if a.get_text(strip=True) == "Respond"]
    assert respond["href"] == f"/consultations/{consultation.slug}/questions/1#participation"
    assert "There are 3 questions." in page.select_one("#respond").get_text()


def test_a_respondent_continues_with_the_first_question_they_have_not_answered(
    client, outbox, session: Session
) -> None:
    consultation = make_consultation(session, questions=3)
    me = make_user(session, email="me@example.test")
    first = consultation_questions(session, consultation)
    add_response(session, consultation, {first[0]: "agree"}, respondent=me)
    sign_in(client, outbox, "me@example.test")
    page = _consultation_page(client, consultation)
    button = page.select_one("#respond a.button")
    assert button.get_text(strip=True) == "Continue your response"
    assert button["href"].endswith("/questions/2#participation")
    assert "You have answered 1 question of 3." in page.select_one("#respond").get_text()


def consultation_questions(session: Session, consultation: Consultation) -> list[int]:
    from app.consultations import catalogue

    return catalogue.question_ids(catalogue.questions_of(session, consultation))


def test_a_closed_consultation_has_no_respond_action(client, session: Session) -> None:
    page = _consultation_page(client, make_consultation(session, status="closed"))
    assert page.select_one("#respond") is None
    assert page.select_one("#deadline").get_text(" ", strip=True).startswith("Closed on ")


def test_the_page_names_the_organiser_and_the_other_ways_to_respond(
    client, session: Session
) -> None:
    consultation = make_consultation(session)
    consultation.organiser_name = "Department for Online Safety"
    consultation.contact_email = "consult@dos.example.gov.uk"
    consultation.postal_address = "Online Safety Consultation\n10 Example Street\nLondon SW1A 1AA"
    session.add(consultation)
    session.flush()
    page = _consultation_page(client, consultation)
    contact = page.select_one(".consultation-contact")
    assert contact.select_one(".consultation-contact__name").get_text() == (
        "Department for Online Safety"
    )
    ways = [li.get_text(" ", strip=True) for li in contact.select(".other-ways li")]
    assert ways[0].startswith("By e-mail to consult@dos.example.gov.uk")
    assert contact.select_one(".other-ways a")["href"] == "mailto:consult@dos.example.gov.uk"
    address = contact.select_one("address")
    assert list(address.stripped_strings) == [
        "Online Safety Consultation",
        "10 Example Street",
        "London SW1A 1AA",
    ]


def test_without_contact_details_the_page_shows_no_empty_section(client, session) -> None:
    page = _consultation_page(client, make_consultation(session))
    assert page.select_one(".consultation-contact") is None


def test_the_questions_are_listed_one_to_a_row_with_their_numbers(client, session) -> None:
    page = _consultation_page(client, make_consultation(session, questions=4))
    rows = page.select("ol.question-index > li")
    assert [r.select_one(".question-index__number").get_text() for r in rows] == [
        f"Question {n}" for n in range(1, 5)
    ]
    assert page.select_one("ol.question-nav") is None


def _closing(at: datetime) -> Consultation:
    return Consultation(
        slug="x", title="x", theme_id=1, opens_at=at - timedelta(days=60), closes_at=at
    )


def test_the_deadline_is_in_words_in_the_site_time_zone() -> None:
    closes = datetime(2027, 1, 15, 23, 59, tzinfo=UTC)  # 23:59 in London in winter
    with localtime.using(localtime.SiteTime.named("Europe/London")):
        now = datetime(2027, 1, 3, 10, 0, tzinfo=UTC)
        assert rules.deadline(_closing(closes), now=now) == (
            "Closes in 12 days, on 15 January 2027 at 23:59."
        )
        one_day = rules.deadline(_closing(closes), now=datetime(2027, 1, 14, 9, tzinfo=UTC))
        assert one_day == "Closes tomorrow, 15 January 2027 at 23:59."
        today = rules.deadline(_closing(closes), now=datetime(2027, 1, 15, 9, tzinfo=UTC))
        assert today == "Closes today, at 23:59."
        after = rules.deadline(_closing(closes), now=datetime(2027, 1, 16, tzinfo=UTC))
        assert after == "Closed on 15 January 2027 at 23:59."
    summer = datetime(2027, 7, 15, 22, 59, tzinfo=UTC)  # 23:59 British Summer Time
    with localtime.using(localtime.SiteTime.named("Europe/London")):
        now = datetime(2027, 7, 13, 12, tzinfo=UTC)
        assert rules.deadline(_closing(summer), now=now) == (
            "Closes in 2 days, on 15 July 2027 at 23:59."
        )


def test_the_organiser_form_saves_who_runs_it_and_refuses_a_bad_address(
    organiser_client, session: Session
) -> None:
    consultation = make_consultation(session)
    from tests.factories import csrf_token

    edit = f"/organise/{consultation.slug}/edit"
    page = _page(organiser_client, edit)
    values = {
        field["name"]: field.get("value", "")
        for field in page.select("form.form input[name]")
        if field.get("type") != "radio"
    }
    values |= {
        "theme_id": str(consultation.theme_id),
        "introduction": "Intro.",
        "moderation_mode": "post",
        "required_level": "email",
        "organiser_name": "Home Office",
        "contact_email": "not an address",
        "postal_address": "2 Marsham Street\nLondon",
        "csrf_token": csrf_token(organiser_client, edit),
    }
    refused = organiser_client.post(edit, data=values)
    assert refused.status_code == 422
    form = BeautifulSoup(refused.text, "html.parser")
    assert "Enter an e-mail address" in form.select_one("#contact_email-error").get_text()
    assert form.select_one("#organiser_name")["value"] == "Home Office"
    values["contact_email"] = "public.enquiries@homeoffice.example.gov.uk"
    assert organiser_client.post(edit, data=values).status_code == 303
    session.refresh(consultation)
    assert consultation.organiser_name == "Home Office"
    assert consultation.postal_address == "2 Marsham Street\nLondon"
