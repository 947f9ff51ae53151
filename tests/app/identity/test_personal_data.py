"""Download my data, and delete my account (crypto-shredding, keep or remove, legal hold)."""

import json

import pytest
from sqlmodel import Session, select

from app.accounts.models import User, UserSession
from app.audit.models import AuditEntry
from app.consultations.catalogue import get_question
from app.identity import personal_data
from app.identity.vault import service as vault
from app.identity.vault.models import IdentityRecord
from app.participation import commands
from app.participation.models import Contribution, Response
from app.wiring import Site
from kernel.clock import utcnow
from kernel.errors import FormInvalid
from kernel.hooks import hookimpl
from moderation import hookimpls as moderation_answers
from tests.factories import csrf_token, make_consultation, make_user, sign_in


def _answer(session, c, user, text="My considered answer.", number=1):
    return commands.submit_answer(
        session,
        consultation=c,
        question=get_question(session, c, number),
        author=user,
        stance="agree",
        text=text,
        publish=True,
        now=utcnow(),
    )


@pytest.fixture
def no_holds(site: Site) -> None:
    """Nothing is under legal hold: the moderation domain's answer is taken out."""
    site.hooks.unregister(moderation_answers)


class _Holds:
    """A legal-hold answer of the test's own: these ids are held."""

    def __init__(self, ids: set[int]) -> None:
        self.ids = ids

    @hookimpl
    def held_contribution_ids(self, session: Session, contribution_ids: list[int]) -> set[int]:
        return self.ids & set(contribution_ids)


def test_download_holds_account_identity_and_contributions(client, outbox, session) -> None:
    c = make_consultation(session)
    sign_in(client, outbox, "mine@example.test", pseudonym="MineAll")
    user = session.exec(select(User).where(User.pseudonym == "MineAll")).one()
    vault.record_verified_identity(
        session,
        user_id=user.id,
        issuer="https://idp.test",
        subject="mine",
        email=None,
        name="Mina Ownwell",
        birthdate="1999-09-09",
        level="identity",
        now=utcnow(),
    )
    _answer(session, c, user, "An answer worth downloading.")
    got = client.get("/account/data.json")
    assert got.status_code == 200
    assert "attachment" in got.headers["content-disposition"]
    data = json.loads(got.text)
    assert data["account"]["pseudonym"] == "MineAll"
    assert data["identity"]["email"] == "mine@example.test"
    assert data["identity"]["name"] == "Mina Ownwell"
    assert data["contributions"][0]["text"] == "An answer worth downloading."
    assert data["responses"][0]["consultation"] == c.slug
    assert data["sessions"]
    assert (
        session.exec(select(AuditEntry).where(AuditEntry.action == "account.data_exported"))
        .one()
        .actor_id
        == user.id
    )


def test_deleting_and_keeping_contributions_shows_former_participant(
    client, outbox, session, no_holds
) -> None:
    c = make_consultation(session)
    sign_in(client, outbox, "leaver@example.test", pseudonym="Leaver")
    user = session.exec(select(User).where(User.pseudonym == "Leaver")).one()
    answer = _answer(session, c, user, "This answer should stay.")
    record_id = session.exec(
        select(IdentityRecord.id).where(IdentityRecord.user_id == user.id)
    ).one()
    refused = client.post(
        "/account/delete",
        data={"csrf_token": csrf_token(client, "/account"), "contributions": "keep"},
    )
    assert refused.status_code == 422 and 'id="confirm-error"' in refused.text
    done = client.post(
        "/account/delete",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "contributions": "keep",
            "confirm": "yes",
        },
    )
    assert done.status_code == 303
    assert client.get("/account").status_code == 303  # signed out: the session ended
    session.expire_all()
    assert session.get(IdentityRecord, record_id).wrapped_key is None
    assert vault.find_user_id_by_email(session, "leaver@example.test") is None
    assert session.get(Contribution, answer.id).author_id is None
    page = client.get(f"/consultations/{c.slug}/questions/1")
    assert "This answer should stay." in page.text and "Former participant" in page.text
    assert "Leaver" not in page.text
    assert all(
        s.revoked_at
        for s in session.exec(select(UserSession).where(UserSession.user_id == user.id))
    )


def test_deleting_and_removing_contributions_keeps_those_under_legal_hold(
    session: Session, site: Site
) -> None:
    c = make_consultation(session, questions=2)
    user = make_user(session)
    evidence = _answer(session, c, user, "Abusive text kept as evidence.", number=1)
    ordinary = _answer(session, c, user, "An ordinary answer.", number=2)
    site.hooks.register(_Holds({evidence.id}))
    assert personal_data.held_contribution_ids(session, [evidence.id]) == {evidence.id}
    result = personal_data.delete_account(
        session, user=user, contributions="remove", confirmed=True, now=utcnow()
    )
    assert (result.removed, result.held, result.kept) == (1, 1, 0)
    session.refresh(evidence)
    session.refresh(ordinary)
    assert evidence.source_text == "Abusive text kept as evidence." and evidence.author_id
    assert ordinary.state == "deleted" and ordinary.source_text == "" and not ordinary.author_id
    assert session.exec(select(Response.respondent_id)).all() == [None]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "account.deleted")).one()
    assert entry.details == {"contributions": "remove", "kept": 0, "removed": 1, "held": 1}


def test_nothing_is_on_hold_without_an_answer(session: Session, no_holds) -> None:
    assert personal_data.held_contribution_ids(session, [1, 2, 3]) == set()


def test_delete_needs_a_choice_and_a_confirmation(session: Session) -> None:
    user = make_user(session)
    with pytest.raises(FormInvalid) as error:
        personal_data.delete_account(
            session, user=user, contributions=None, confirmed=False, now=utcnow()
        )
    assert set(error.value.errors) == {"contributions", "confirm"}


def test_same_address_after_deletion_makes_a_new_account(client, outbox, session, no_holds) -> None:
    sign_in(client, outbox, "again@example.test", pseudonym="FirstLife")
    client.post(
        "/account/delete",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "contributions": "remove",
            "confirm": "yes",
        },
    )
    outbox.clear()
    sign_in(client, outbox, "again@example.test", pseudonym="SecondLife")
    assert "SecondLife" in client.get("/account").text
