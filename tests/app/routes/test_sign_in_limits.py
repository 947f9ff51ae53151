"""Sign-in link limits: tight per e-mail address, loose per client address, and the message
says which one was reached."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from tests.factories import csrf_token


def _ask(client: TestClient, email: str):
    token = csrf_token(client, "/auth/sign-in")
    return client.post("/auth/sign-in", data={"email": email, "csrf_token": token})


def test_a_school_behind_one_address_can_ask_for_many_links(client: TestClient) -> None:
    for n in range(12):
        assert _ask(client, f"pupil{n}@school.example").status_code == 303


def test_a_sixth_link_for_one_address_is_refused_and_the_message_says_so(
    client: TestClient,
) -> None:
    for _ in range(5):
        assert _ask(client, "someone@example.test").status_code == 303
    refused = _ask(client, "Someone@Example.test")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    text = BeautifulSoup(refused.text, "html.parser").main.get_text(" ", strip=True)
    assert "for this e-mail address" in text and "Try again in" in text
    assert _ask(client, "someone.else@example.test").status_code == 303


def test_the_loose_limit_per_client_address_says_it_is_the_network(app, client) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"rate_limit_sign_in_client": "3/15 minutes"}
    )
    for n in range(3):
        assert _ask(client, f"colleague{n}@office.example").status_code == 303
    refused = _ask(client, "colleague9@office.example")
    assert refused.status_code == 429
    assert "from your network" in BeautifulSoup(refused.text, "html.parser").main.get_text()
