"""Accounts, called directly: creating one with its pseudonym, roles and address in the vault;
addresses and pseudonyms that are refused; finding an account by pseudonym."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.accounts import users
from app.accounts.models import Role, User, VerificationLevel
from app.identity.vault import service as vault
from app.identity.vault.models import Exclusion
from kernel.clock import utcnow
from kernel.errors import Conflict, Forbidden, FormInvalid, NotFound


def create(session: Session, **kwargs) -> User:
    args = {"email": "someone@example.test", "pseudonym": "CalmHeron12", "roles": set()}
    args.update(kwargs)
    return users.create_user(session, now=utcnow(), **args)


def test_a_new_account_keeps_its_address_only_in_the_vault(session: Session) -> None:
    user = create(session, email="  someone@example.test ")
    stored = session.get(User, user.id)
    assert stored.pseudonym == "CalmHeron12"
    assert stored.verification_level == VerificationLevel.email
    assert vault.find_user_id_by_email(session, "SOMEONE@example.test") == user.id
    assert vault.email_of(session, user.id) == "someone@example.test"
    assert "someone" not in " ".join(str(v) for v in stored.model_dump().values())


def test_every_account_is_a_citizen_whatever_else_it_is(session: Session) -> None:
    plain = create(session, email="a@example.test", pseudonym="Plain1")
    staff = create(
        session,
        email="b@example.test",
        pseudonym="Worker1",
        roles={Role.organiser, Role.moderator},
    )
    assert plain.roles == "citizen"
    assert staff.roles == "citizen moderator organiser"
    assert staff.role_set == {Role.citizen, Role.moderator, Role.organiser}


def test_an_account_can_be_created_at_a_higher_level(session: Session) -> None:
    user = create(session, level=VerificationLevel.identity)
    assert user.level is VerificationLevel.identity


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your e-mail address."),
        ("   ", "Enter your e-mail address."),
        ("no-at-sign", "in the right format"),
        ("two@@example.test", "in the right format"),
    ],
)
def test_a_missing_or_malformed_address_is_refused(session: Session, email, message) -> None:
    with pytest.raises(FormInvalid) as refused:
        create(session, email=email)
    assert set(refused.value.errors) == {"email"}
    assert message in refused.value.errors["email"]
    assert session.exec(select(User)).first() is None


def test_a_second_account_with_the_same_address_is_refused(session: Session) -> None:
    create(session, email="dup@example.test", pseudonym="First1")
    with pytest.raises(Conflict):
        create(session, email="DUP@Example.test", pseudonym="Second1")
    assert len(session.exec(select(User)).all()) == 1


def test_a_pseudonym_is_taken_whatever_its_case(session: Session) -> None:
    create(session, email="a@example.test", pseudonym="SteadyOtter")
    assert users.pseudonym_taken(session, "steadyotter")
    assert not users.pseudonym_taken(session, "SteadyOtter2")
    with pytest.raises(FormInvalid) as refused:
        create(session, email="b@example.test", pseudonym="STEADYOTTER")
    assert "taken" in refused.value.errors["pseudonym"]
    assert vault.find_user_id_by_email(session, "b@example.test") is None


@pytest.mark.parametrize("pseudonym", ["ab", "1Digit", "has space", "x" * 31, "TheModerator"])
def test_an_unusable_pseudonym_is_refused_and_nothing_is_stored(
    session: Session, pseudonym
) -> None:
    with pytest.raises(FormInvalid) as refused:
        create(session, pseudonym=pseudonym)
    assert set(refused.value.errors) == {"pseudonym"}
    assert session.exec(select(User)).first() is None


def test_the_operator_may_use_a_reserved_name(session: Session) -> None:
    user = create(session, pseudonym="SiteModerator", allow_reserved=True)
    assert user.pseudonym == "SiteModerator"


def test_an_excluded_address_cannot_make_a_new_account(session: Session) -> None:
    session.add(Exclusion(email_index=vault.email_lookup_index("banned@example.test")))
    session.flush()
    with pytest.raises(Forbidden):
        create(session, email="Banned@example.test")
    assert session.exec(select(User)).first() is None


def test_an_account_is_found_by_its_exact_pseudonym(session: Session) -> None:
    user = create(session)
    assert users.get_user_by_pseudonym(session, "CalmHeron12").id == user.id
    with pytest.raises(NotFound) as refused:
        users.get_user_by_pseudonym(session, "NobodyHere")
    assert "NobodyHere" in refused.value.message


def test_check_email_returns_the_address_without_surrounding_space() -> None:
    assert users.check_email("  a@example.test\n") == "a@example.test"
