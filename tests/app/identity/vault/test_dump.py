"""A dump of the whole database (SQLite ``.dump``, ``pg_dump``) holds no e-mail address and no
name of any participant: identity lives only as ciphertext and keyed indexes in the vault.

Every kind of e-mail is queued first (a sign-in link, moderation notices, a disclosure notice,
outcome notifications), and a mail server refuses them all, repeating each address in its
answer: the outbox holds references only, and the errors it records hold no address either."""

import sqlite3
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.accounts import signin
from app.accounts.models import Role, User
from app.analysis import outcome
from app.identity import disclosure, personal_data
from app.identity.vault import service as vault
from app.migrate import upgrade
from app.outbox.models import OutboxMessage
from app.outbox.queue import Template
from app.outbox.worker import Worker
from app.participation import receipts
from app.participation.models import Response
from app.ratelimit.limiter import RateLimiter
from app.settings import Settings
from app.wiring import build_site
from kernel.clock import utcnow
from moderation import decisions, reporting
from moderation.models import ModerationCase
from tests.factories import add_response, make_consultation, make_post, make_reply, make_user
from tests.support.postgres import fresh_database, pg_dump
from tests.support.smtp import running_smtp

PEOPLE = [
    ("zelda.quarrington@example.test", "Zelda Quarrington"),
    ("Olwen.Fairweather+news@example.test", "Olwen Fairweather"),
    ("ignatius.brackenbury@example.test", "Ignatius Brackenbury"),
]


def _populate(url: str) -> None:
    with running_smtp() as sink:
        settings = Settings(
            environment="test",
            database_url=url,
            smtp_host=sink.host,
            smtp_port=sink.port,
            smtp_starttls=False,
            mail_max_attempts=1,
            _env_file=None,
        )
        site = build_site(settings)
        try:
            _populate_site(site)
            sink.refuse = lambda _accepted, recipients: (
                f"550 5.1.1 <{recipients[0]}>: no mailbox for {recipients[0]} here"
            )
            worker = Worker(site)
            while worker.deliver_once().handled:
                pass
            assert worker.totals.failed >= 6 and worker.totals.sent == 0, worker.totals
            assert sink.refused == worker.totals.failed
        finally:
            site.engine.dispose()


def _populate_site(site) -> None:
    with site.transaction() as session:
        now = utcnow()
        make_consultation(session)
        for n, (email, name) in enumerate(PEOPLE):
            user = make_user(
                session,
                email=email,
                pseudonym=f"DumpPerson{n}",
                roles={Role.citizen, Role.moderator} if n == 0 else None,
            )
            vault.record_verified_identity(
                session,
                user_id=user.id,
                issuer="https://idp.example.test",
                subject=f"urn:subject:{name.replace(' ', '-')}",
                email=None,
                name=name,
                birthdate="1984-02-29",
                level="identity",
                now=now,
            )
        vault.issue_sign_in_token(
            session,
            email="link.pending@example.test",
            next_path="/",
            now=now,
            lifetime=timedelta(minutes=15),
        )
        # A full disclosure (request, approval, one view) and a data export leave audit
        # entries and rows behind: none of them may hold the identity they touched.
        first = make_user(session, roles={Role.custodian}, pseudonym="DumpCustodian1")
        second = make_user(session, roles={Role.custodian}, pseudonym="DumpCustodian2")
        asked = disclosure.request_disclosure(
            session,
            requester=first,
            pseudonym="DumpPerson0",
            reason_category="court_order",
            reason="Court order 1234 served on the operator.",
            notice_delay_days=None,
            now=now,
        )
        disclosure.decide(
            session,
            disclosure_id=asked.id,
            decider=second,
            decision="approve",
            note="",
            now=now,
        )
        shown = disclosure.reveal(session, disclosure_id=asked.id, viewer=first, now=now)
        assert ("Verified name", PEOPLE[0][1]) in shown.attributes
        personal_data.export(session, user=session.get(User, asked.subject_user_id), now=now)
        _queue_every_kind_of_mail(session, site, now=now)
    with site.transaction() as session:  # the rate limits count in transactions of their own
        signin.request_sign_in_link(
            session,
            email=PEOPLE[1][0],
            next_path="/",
            client="192.0.2.1",
            now=utcnow(),
            settings=site.settings,
            limiter=RateLimiter(site.engine),
        )
        kinds = set(session.exec(select(OutboxMessage.template)).all())
    assert kinds == {t.value for t in Template}, kinds


def _queue_every_kind_of_mail(session: Session, site, *, now) -> None:
    """A sign-in link, moderation notices to reporter and author, outcome notifications (the
    disclosure above queued its notice)."""
    people = [
        session.exec(select(User).where(User.pseudonym == f"DumpPerson{n}")).one()
        for n in range(len(PEOPLE))
    ]
    post = make_post(session, author=people[2], text="A post that will be reported for a test.")
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=people[1].id,
        reason="spam",
        about_me=False,
        note="",
        now=now,
    )
    case = session.get(ModerationCase, report.case_id)
    decisions.decide(  # reporter and author are told, in-site and by e-mail
        session,
        case_id=case.id,
        moderator_id=people[0].id,
        version=case.version,
        action="remove",
        basis="spam",
        statement="The post advertises a shop and has nothing to do with the question asked.",
        now=now,
    )
    closed = make_consultation(session, status="closed", questions=1)
    for person in people:
        add_response(session, closed, {}, respondent=person)
    organiser = make_user(session, roles={Role.organiser}, pseudonym="DumpOrganiser")
    outcome.save_outcome(
        session, consultation=closed, values={"what_we_changed": "A lot."}, now=now
    )
    outcome.publish_outcome(session, consultation=closed, organiser=organiser, now=now)
    while outcome.queue_outcome_notifications(session, consultation_id=closed.id, now=now):
        pass
    # A reply e-mail to someone who opted in, and a copy of a response sent on request.
    people[0].notify_replies = True
    session.add(people[0])
    answer = make_post(session, author=people[0], text="An answer that someone replies to.")
    make_reply(session, parent=answer, author=people[1])
    response = session.get(Response, answer.response_id)
    receipts.email_receipt(session, response=response, account_id=people[0].id, now=now)


def _dump(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        path = tmp_path / "dump.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        _populate(url)
        with sqlite3.connect(path) as raw:
            return "\n".join(raw.iterdump())
    url = fresh_database(_postgres_url, "reclaim_dump_test")
    upgrade(url)
    _populate(url)
    return pg_dump(url)


_postgres_url = ""


@pytest.fixture
def dump(backend: str, tmp_path, request) -> str:
    global _postgres_url
    if backend == "postgresql":
        _postgres_url = request.getfixturevalue("postgres_url")
    return _dump(backend, tmp_path)


def test_database_dump_contains_no_address_and_no_name(dump: str) -> None:
    assert "vault_identity" in dump and "account" in dump  # the dump really has the tables
    assert "outbox_message" in dump and "sign_in_link" in dump  # and the queued mail
    assert "no mailbox for <recipient> here" in dump  # the server's answers, without addresses
    text = dump.lower()
    assert all(f"dumpperson{n}" in text for n in range(len(PEOPLE)))  # the accounts are there
    for email, name in PEOPLE:
        assert email.lower() not in text
        assert email.split("@")[0].lower() not in text
        for part in name.lower().split():
            assert part not in text, part
    assert "link.pending" not in text
    assert "urn:subject" not in text
