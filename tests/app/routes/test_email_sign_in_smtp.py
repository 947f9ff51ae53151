"""The e-mail sign-in link travels through a real SMTP server (aiosmtpd on 127.0.0.1): the
request queues it, a worker's delivery sends it."""

import re

import pytest

from app.settings import Settings
from tests.factories import CSRF_META, csrf_token
from tests.support.smtp import body_text, running_smtp


@pytest.fixture(scope="module")
def smtp():
    with running_smtp() as sink:
        yield sink


@pytest.fixture
def settings(database_url: str, smtp):
    configured = Settings(
        environment="test",
        database_url=database_url,
        base_url="http://testserver",
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_starttls=False,
    )
    smtp.clear()
    return configured


def test_sign_in_link_arrives_by_smtp_and_signs_in_after_a_post(client, smtp, outbox) -> None:
    sent = client.post(
        "/auth/sign-in",
        data={
            "email": "Smtp.Person@Example.test",
            "csrf_token": csrf_token(client, "/auth/sign-in"),
        },
    )
    assert sent.status_code == 303
    assert smtp.messages == []  # nothing is sent inside the request
    assert outbox.deliver().sent == 1
    message = smtp.wait_for(lambda m: "sign-in link" in m["Subject"])
    assert [r.lower() for r in smtp.received[0].rcpt_tos] == ["smtp.person@example.test"]
    link = re.search(r"http://testserver(/auth/link/[A-Za-z0-9_-]+)", body_text(message)).group(1)
    page = client.get(link)  # a mail scanner following the link does not use it up
    assert page.status_code == 200 and client.get(link).status_code == 200
    done = client.post(
        link, data={"csrf_token": CSRF_META.search(page.text).group(1), "pseudonym": "SmtpPerson"}
    )
    assert done.status_code == 303
    assert "SmtpPerson" in client.get("/account").text
    assert client.post(link, data={"csrf_token": csrf_token(client)}).status_code == 410


def test_unknown_and_known_addresses_get_the_same_answer_by_smtp(
    client, smtp, session, outbox
) -> None:
    from tests.factories import make_user

    make_user(session, email="known.smtp@example.test")
    answers = [
        client.post(
            "/auth/sign-in", data={"email": e, "csrf_token": csrf_token(client, "/auth/sign-in")}
        )
        for e in ("known.smtp@example.test", "new.smtp@example.test")
    ]
    assert [a.headers["location"] for a in answers] == ["/auth/check-email"] * 2
    assert outbox.deliver().sent == 2
    smtp.wait_for(lambda m: "new.smtp" in m["To"])
    subjects = {m["Subject"] for m in smtp.messages}
    assert len(smtp.messages) == 2 and len(subjects) == 1
