"""The admins' outbox page (/admin/outbox): the figures, failed messages with the server's
answer and a retry; and the development outbox page, read from the outbox table."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import Role
from app.deps import get_db
from app.main import create_app
from app.outbox.models import OutboxMessage
from app.outbox.queue import Template, queue_mail
from app.ratelimit.limiter import RateLimiter
from kernel.clock import utcnow
from moderation.notices import notify
from tests.conftest import bound_session
from tests.factories import csrf_token, make_user, sign_in

ERROR = "SMTPDataError: 554 5.7.1 <address>: message refused as spam"


def _failed_message(session: Session, *, pseudonym: str) -> OutboxMessage:
    person = make_user(session, pseudonym=pseudonym, email=f"{pseudonym.lower()}@example.test")
    notify(session, recipient_id=person.id, case_id=None, subject="Hello", body="x", now=utcnow())
    message = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    message.state, message.attempts, message.last_error = "failed", 10, ERROR
    message.finished_at = utcnow()
    session.add(message)
    session.flush()
    return message


def test_an_admin_sees_failed_messages_with_their_error_and_can_send_one_again(
    client, outbox, session
) -> None:
    failed = _failed_message(session, pseudonym="Unlucky")
    make_user(session, roles={Role.admin}, pseudonym="TheAdmin", email="admin@example.test")
    sign_in(client, outbox, "admin@example.test")
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    doc = BeautifulSoup(page.text, "html.parser")
    assert doc.select_one("#count-failed").text == "1"
    row = doc.select_one(f"#message-{failed.id}")
    assert "Moderation notice" in row.text and "Unlucky" in row.text
    assert ERROR in row.text and "@reclaim.invalid>" in row.text  # the stable Message-ID
    assert "unlucky@example.test" not in page.text and "admin@example.test" not in page.text
    form = row.select_one("form")
    assert form["action"] == f"/admin/outbox/{failed.id}/retry" and form["method"] == "post"
    retried = client.post(form["action"], data={"csrf_token": csrf_token(client, "/admin/outbox")})
    assert retried.status_code == 303 and retried.headers["location"] == "/admin/outbox"
    session.refresh(failed)
    assert failed.state == "queued" and failed.attempts == 0 and failed.finished_at is None
    again = client.post(form["action"], data={"csrf_token": csrf_token(client, "/admin/outbox")})
    assert again.status_code == 409 and "no longer waiting for a retry" in again.text
    after = BeautifulSoup(client.get("/admin/outbox").text, "html.parser")
    assert after.select_one("#count-failed").text == "0"
    assert "No message has failed." in after.text


def test_send_every_failed_message_again(client, outbox, session) -> None:
    for name in ("FailedOne", "FailedTwo"):
        _failed_message(session, pseudonym=name)
    make_user(session, roles={Role.admin}, email="admin2@example.test")
    sign_in(client, outbox, "admin2@example.test")
    done = client.post(
        "/admin/outbox/retry-all", data={"csrf_token": csrf_token(client, "/admin/outbox")}
    )
    assert done.status_code == 303
    states = session.exec(
        select(OutboxMessage.state).where(OutboxMessage.template == "moderation_notice")
    ).all()
    assert set(states) == {"queued"}
    assert "2 failed messages will be sent again." in client.get("/admin/outbox").text


def test_other_roles_cannot_open_the_outbox(client, outbox, session) -> None:
    make_user(
        session, roles={Role.moderator, Role.organiser, Role.custodian}, email="m@example.test"
    )
    sign_in(client, outbox, "m@example.test")
    assert client.get("/admin/outbox").status_code == 403
    token = csrf_token(client, "/account")
    assert client.post("/admin/outbox/retry-all", data={"csrf_token": token}).status_code == 403


def test_the_development_outbox_shows_queued_mail_rendered_from_the_table(
    settings, site, connection, session, limiter_engine
) -> None:
    development = settings.model_copy(update={"environment": "development"})
    app = create_app(development, site=site)
    app.state.limiter = RateLimiter(limiter_engine)

    def request_session():
        with bound_session(connection, site) as s:
            yield s
            s.commit()

    app.dependency_overrides[get_db] = request_session
    person = make_user(session, email="shown@example.test")
    queue_mail(
        session,
        template=Template.outcome_published,
        recipient_id=person.id,
        params={"consultation_id": 999_999},  # no such outcome: shown as not sent
        now=utcnow(),
    )
    try:
        with TestClient(app, base_url="http://testserver") as client:
            token = csrf_token(client, "/auth/sign-in")
            client.post("/auth/sign-in", data={"email": "shown@example.test", "csrf_token": token})
            page = BeautifulSoup(client.get("/dev/outbox").text, "html.parser")
    finally:
        app.state.limiter.strategy.storage.reset()
    newest, older = page.select(".outbox-message")[:2]
    assert "sign-in link" in newest.h2.text and "shown@example.test" in newest.text
    assert "/auth/link/" in newest.pre.text and "waiting to be sent" in newest.text
    assert "no longer exists" in older.pre.text
