"""The public outcome of a closed consultation, and respondents told when it is published."""

from __future__ import annotations

from bs4 import BeautifulSoup

from app.accounts.models import Role
from app.consultations import catalogue
from tests.factories import add_response, csrf_token, make_consultation, make_user


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_outcome_is_published_with_annex_a_and_respondents_are_emailed(
    organiser_client, outbox, session, client
) -> None:
    c = make_consultation(session, questions=2, status="closed")
    q1, q2 = catalogue.questions_of(session, c)
    people = [make_user(session, email=f"resp{i}@example.test") for i in range(3)]
    for person, stance in zip(people, ("agree", "disagree", "agree"), strict=True):
        add_response(session, c, {q1.id: stance}, respondent=person)
    add_response(
        session,
        c,
        {q2.id: None},
        imported=True,
        respondent_type="organisation",
        organisation_name="Howard League",
        may_name_organisation=True,
    )
    assert client.get(f"/consultations/{c.slug}/outcome").status_code == 404
    path = f"/organise/{c.slug}/outcome"
    refused = organiser_client.post(
        f"{path}/publish", data={"csrf_token": csrf_token(organiser_client, path)}
    )
    assert refused.status_code == 422 and "What was changed" not in refused.text
    saved = organiser_client.post(
        path,
        data={
            "csrf_token": csrf_token(organiser_client, path),
            "method": "",
            "what_we_changed": "We added six new sections, including one on *jurisdiction*.",
            "main_points_1": "Most respondents found the guidance clear.",
            "changed_1": "",
            "main_points_2": "",
            "changed_2": "",
        },
    )
    assert saved.status_code == 303
    published = organiser_client.post(
        f"{path}/publish", data={"csrf_token": csrf_token(organiser_client, path)}
    )
    assert published.status_code == 303
    assert published.headers["location"] == f"/consultations/{c.slug}/outcome"
    assert outbox.messages == []  # respondents are told after the request, by the scheduler
    waiting = soup(organiser_client.get(path)).select_one("#outcome-notified").text
    assert "will be told by e-mail in a moment" in waiting
    assert outbox.run_jobs() >= 1
    told = soup(organiser_client.get(path)).select_one("#outcome-notified").text
    assert "3 messages queued" in told
    assert sorted(m.to for m in outbox.messages) == [f"resp{i}@example.test" for i in range(3)]
    assert all(f"/consultations/{c.slug}/outcome" in m.body for m in outbox.messages)
    page = client.get(f"/consultations/{c.slug}/outcome")
    assert page.status_code == 200
    doc = soup(page)
    assert "jurisdiction" in doc.select_one("#what-we-changed").text
    assert "There were 3 responses to this question" in page.text
    assert "Howard League" in doc.select_one(".organisation-list").text
    cells = [td.text.split()[0] for td in doc.select("#annex-all tbody tr")[0].select("td.num")]
    assert cells == [
        "2",
        "1",
        "0",
        "0",
        "1",
        "4",
    ]  # positive, negative, neutral, unevaluated, none, total
    assert len(doc.select(".annex-charts svg[role=img]")) == 2
    assert "@example.test" not in page.text
    assert not doc.select("#annex-all a")  # the public table does not link to answers
    again = organiser_client.post(
        f"{path}/publish", data={"csrf_token": csrf_token(organiser_client, path)}
    )
    assert again.status_code == 409


def test_outcome_cannot_be_published_while_open(organiser_client, session) -> None:
    c = make_consultation(session, status="open")
    path = f"/organise/{c.slug}/outcome"
    organiser_client.post(
        path,
        data={"csrf_token": csrf_token(organiser_client, path), "what_we_changed": "Nothing yet."},
    )
    refused = organiser_client.post(
        f"{path}/publish", data={"csrf_token": csrf_token(organiser_client, path)}
    )
    assert refused.status_code == 409
    assert "once the consultation has closed" in refused.text
    assert make_user(session, roles={Role.organiser})
