"""Times an organiser types are UK time (the site's zone), stored in UTC, and every page shows
them back in UK time: a consultation closing "23:59 on 31 March", after the clocks have gone
forward, closes at 23:59 British Summer Time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup
from sqlmodel import select

from app.consultations import rules
from app.consultations.models import Consultation
from tests.factories import consultation_form

CLOSING = datetime(
    2027, 3, 31, 22, 59, tzinfo=UTC
)  # 23:59 BST (the clocks went forward on 28 March)


def _create(client, session, **fields) -> Consultation:
    data = consultation_form(client, session, **fields)
    response = client.post("/organise/new", data=data)
    assert response.status_code == 303, response.text
    return session.exec(select(Consultation).where(Consultation.slug == data["slug"])).one()


def test_typed_times_are_uk_time_and_stored_in_utc_across_the_clock_change(
    organiser_client, session
) -> None:
    consultation = _create(organiser_client, session)
    assert consultation.opens_at == datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # GMT
    assert consultation.closes_at == CLOSING
    last_minute = CLOSING - timedelta(seconds=1)
    assert rules.closed_reason(consultation, now=last_minute) is None
    assert "closed on 31 March 2027 at 23:59" in rules.closed_reason(consultation, now=CLOSING)


def test_the_edit_form_and_the_pages_show_the_times_as_typed(organiser_client, session) -> None:
    consultation = _create(organiser_client, session)
    form = BeautifulSoup(
        organiser_client.get(f"/organise/{consultation.slug}/edit").text, "html.parser"
    )
    assert form.select_one("#opens_at")["value"] == "2027-03-01T09:00"
    assert form.select_one("#closes_at")["value"] == "2027-03-31T23:59"
    assert "UK time" in form.select_one("#closes_at-hint").text
    page = organiser_client.get(f"/organise/{consultation.slug}").text
    assert "1 March 2027 at 09:00" in page and "31 March 2027 at 23:59" in page
    assert "UTC" not in page


def test_a_time_the_clocks_skip_is_refused_beside_its_field(organiser_client, session) -> None:
    response = organiser_client.post(
        "/organise/new",
        data=consultation_form(
            organiser_client, session, slug="skipped-hour", opens_at="2027-03-28T01:30"
        ),
    )
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert "does not exist in UK time" in page.select_one("#opens_at-error").text
    assert page.select_one("#opens_at")["value"] == "2027-03-28T01:30"
    assert (
        session.exec(select(Consultation).where(Consultation.slug == "skipped-hour")).first()
        is None
    )
