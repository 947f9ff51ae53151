"""Queuing mail: in the caller's transaction, as references only (never an address)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.accounts import signin
from app.identity.vault import service as vault
from app.identity.vault.models import SignInToken
from app.outbox.models import OutboxMessage
from app.outbox.queue import Template, queue_mail
from app.outbox.worker import Worker
from app.ratelimit.limiter import RateLimiter
from kernel.clock import utcnow
from tests.factories import make_user


def _request_link(session: Session, site, email: str) -> None:
    signin.request_sign_in_link(
        session,
        email=email,
        next_path="/account",
        client="198.51.100.7",
        now=utcnow(),
        settings=site.settings,
        limiter=RateLimiter(site.engine),
    )


def _count(site, model) -> int:
    with site.transaction() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_a_transaction_that_fails_after_queuing_mail_leaves_no_message(make_site, smtp) -> None:
    site = make_site(smtp)
    with site.transaction() as session:
        person = make_user(session, email="rolled.back@example.test")

    def queue_then_fail() -> None:
        with site.transaction() as session:
            _request_link(session, site, "rolled.back@example.test")
            queue_mail(
                session,
                template=Template.moderation_notice,
                recipient_id=person.id,
                params={"notice_id": 1},
                now=utcnow(),
            )
            assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 2
            raise RuntimeError("something after the mail was queued went wrong")

    with pytest.raises(RuntimeError):
        queue_then_fail()
    assert _count(site, OutboxMessage) == 0
    assert _count(site, SignInToken) == 0
    assert Worker(site).drain().sent == 0
    assert smtp.messages == []


def test_a_committed_sign_in_request_queues_one_reference_and_no_address(make_site, smtp) -> None:
    site = make_site(smtp)
    with site.transaction() as session:
        _request_link(session, site, "Reference.Only@Example.test")
    with site.transaction() as session:
        message = session.exec(select(OutboxMessage)).one()
        token = session.get(SignInToken, message.sign_in_token_id)
        stored = json.dumps(message.model_dump(mode="json")).lower()
    assert message.template == "sign_in_link" and message.recipient_id is None
    # What the message needs, and the language it was asked for in: never the address.
    assert message.params == {"minutes": site.settings.sign_in_link_minutes, "language": "en"}
    assert "reference.only" not in stored and "@" not in stored
    assert token is not None and token.link_ct is not None  # kept, encrypted, for the worker
    assert message.state == "queued" and message.attempts == 0 and len(message.message_id) == 32


def test_using_a_link_forgets_its_raw_token(session: Session, site) -> None:
    _request_link(session, site, "forget.me@example.test")
    message = session.exec(select(OutboxMessage)).one()
    link = vault.pending_sign_in_link(session, message.sign_in_token_id, now=utcnow())
    assert link is not None and link.email == "forget.me@example.test"
    vault.consume_sign_in_token(session, link.token, now=utcnow())
    session.expire_all()
    assert session.get(SignInToken, message.sign_in_token_id).link_ct is None
    assert vault.pending_sign_in_link(session, message.sign_in_token_id, now=utcnow()) is None


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"note": "write to someone@example.test"}, ValueError),
        ({"nested": {"a": 1}}, TypeError),
    ],
)
def test_parameters_must_be_plain_values_and_never_an_address(
    session: Session, params, error
) -> None:
    person = make_user(session)
    with pytest.raises(error):
        queue_mail(
            session,
            template=Template.moderation_notice,
            recipient_id=person.id,
            params=params,
            now=utcnow(),
        )
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def test_a_message_goes_to_an_account_or_a_link_never_both_or_neither(session: Session) -> None:
    with pytest.raises(ValueError, match="not both"):
        queue_mail(session, template=Template.moderation_notice, now=utcnow())


def test_a_deduplication_key_queues_a_message_once(session: Session) -> None:
    person = make_user(session)
    queued = [
        queue_mail(
            session,
            template=Template.outcome_published,
            recipient_id=person.id,
            params={"consultation_id": 1},
            dedupe_key=f"outcome:1:{person.id}",
            now=utcnow(),
        )
        for _ in range(3)
    ]
    assert queued == [True, False, False]
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 1


def test_sign_in_links_go_before_bulk_mail(session: Session) -> None:
    person = make_user(session)
    now = utcnow()
    queue_mail(
        session,
        template=Template.outcome_published,
        recipient_id=person.id,
        params={"consultation_id": 1},
        now=now,
    )
    token_id = vault.issue_sign_in_link(
        session,
        email="urgent@example.test",
        next_path="/",
        now=now,
        lifetime=vault.timedelta(minutes=5),
    )
    queue_mail(session, template=Template.sign_in_link, sign_in_token_id=token_id, now=now)
    rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.priority)).all()
    assert [r.template for r in rows] == ["sign_in_link", "outcome_published"]
