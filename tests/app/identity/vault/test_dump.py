"""A dump of the whole database (SQLite ``.dump``, ``pg_dump``) holds no e-mail address and no
name of any participant: identity lives only as ciphertext and keyed indexes in the vault."""

import sqlite3
from datetime import timedelta

import pytest
from sqlmodel import Session

from app.accounts.models import Role, User
from app.db import make_engine
from app.identity import disclosure, personal_data
from app.identity.vault import service as vault
from app.migrate import upgrade
from kernel.clock import utcnow
from tests.factories import make_consultation, make_user
from tests.support.postgres import fresh_database, pg_dump

PEOPLE = [
    ("zelda.quarrington@example.test", "Zelda Quarrington"),
    ("Olwen.Fairweather+news@example.test", "Olwen Fairweather"),
    ("ignatius.brackenbury@example.test", "Ignatius Brackenbury"),
]


def _populate(url: str) -> None:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
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
            session.commit()
    finally:
        engine.dispose()


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
    text = dump.lower()
    assert all(f"dumpperson{n}" in text for n in range(len(PEOPLE)))  # the accounts are there
    for email, name in PEOPLE:
        assert email.lower() not in text
        assert email.split("@")[0].lower() not in text
        for part in name.lower().split():
            assert part not in text, part
    assert "link.pending" not in text
    assert "urn:subject" not in text
