"""RECLAIM_TIME_ZONE: a site set to another zone reads typed times and shows stored ones in it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from app.consultations.models import Consultation
from app.settings import Settings
from tests.factories import consultation_form


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        base_url="http://testserver",
        smtp_host=None,
        time_zone="America/New_York",
        _env_file=None,
    )


def test_a_site_in_another_zone_reads_and_shows_times_in_it(organiser_client, session) -> None:
    response = organiser_client.post(
        "/organise/new", data=consultation_form(organiser_client, session, slug="new-york-time")
    )
    assert response.status_code == 303, response.text
    stored = session.exec(select(Consultation).where(Consultation.slug == "new-york-time")).one()
    assert stored.opens_at == datetime(2027, 3, 1, 14, 0, tzinfo=UTC)  # EST, UTC-5
    assert stored.closes_at == datetime(2027, 4, 1, 3, 59, tzinfo=UTC)  # EDT, UTC-4
    page = organiser_client.get("/organise/new-york-time").text
    assert "31 March 2027 at 23:59" in page
    assert "America/New_York" in organiser_client.get("/organise/new").text


def test_an_unknown_time_zone_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="not a known time zone"):
        Settings(time_zone="Europe/Atlantis", _env_file=None)
