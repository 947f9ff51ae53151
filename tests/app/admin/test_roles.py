"""Roles: granted and removed with a reason in the audit log; never the last admin, never
custodian to oneself, never an unknown role."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.accounts.models import Role, User
from app.admin import roles
from app.audit.models import AuditEntry
from kernel.clock import utcnow
from kernel.errors import Conflict, Forbidden, FormInvalid
from tests.factories import make_user

REASON = "Joins the moderation team this week"


def _grant(session, admin, pseudonym, role, reason=REASON):
    return roles.grant_role(
        session,
        values={"pseudonym": pseudonym, "role": role, "reason": reason},
        admin=admin,
        now=utcnow(),
    )


def _remove(session, admin, user, role, reason=REASON):
    return roles.remove_role(
        session, user_id=user.id, values={"role": role, "reason": reason}, admin=admin, now=utcnow()
    )


def _roles_of(session: Session, user: User) -> set[str]:
    return set(session.exec(select(User.roles).where(User.id == user.id)).one().split())


def test_granting_and_removing_a_role_is_audited_with_the_reason(session) -> None:
    admin = make_user(session, roles={Role.admin})
    person = make_user(session, pseudonym="FutureModerator")
    _grant(session, admin, "futuremoderator", "moderator")
    assert _roles_of(session, person) == {"citizen", "moderator"}
    _remove(session, admin, person, "moderator", reason="Left the team in November")
    assert _roles_of(session, person) == {"citizen"}
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.subject_id == str(person.id)).order_by(AuditEntry.seq)
    ).all()
    assert [(e.action, e.actor_id, e.details) for e in entries] == [
        ("role.grant", admin.id, {"role": "moderator", "reason": REASON}),
        ("role.remove", admin.id, {"role": "moderator", "reason": "Left the team in November"}),
    ]


@pytest.mark.parametrize("role", ["superuser", "citizen", "", "ADMIN "])
def test_an_unknown_role_is_refused_and_nothing_changes(session, role) -> None:
    admin = make_user(session, roles={Role.admin})
    person = make_user(session)
    with pytest.raises(FormInvalid) as refused:
        _grant(session, admin, person.pseudonym, role)
    assert "Choose one of the roles" in refused.value.errors["role"]
    assert _roles_of(session, person) == {"citizen"}


def test_nobody_can_make_themselves_a_custodian(session) -> None:
    admin = make_user(session, roles={Role.admin})
    with pytest.raises(FormInvalid) as refused:
        _grant(session, admin, admin.pseudonym, "custodian")
    assert "cannot make yourself a custodian" in refused.value.errors["role"]
    assert "custodian" not in _roles_of(session, admin)
    other = make_user(session, roles={Role.admin})
    _grant(session, other, admin.pseudonym, "custodian")  # another admin may
    assert "custodian" in _roles_of(session, admin)


def test_the_last_admin_cannot_be_removed(session) -> None:
    admins = session.exec(select(User).where(User.roles.contains("admin"))).all()
    for other in admins:  # the test database may hold admins made by other tests' fixtures
        other.roles = "citizen"
        session.add(other)
    session.flush()
    only = make_user(session, roles={Role.admin})
    with pytest.raises(Conflict, match="no admin"), session.begin_nested():  # as a request would
        _remove(session, only, only, "admin")
    assert "admin" in _roles_of(session, only)


def test_an_admin_may_step_down_while_another_remains(session) -> None:
    first = make_user(session, roles={Role.admin})
    make_user(session, roles={Role.admin})
    _remove(session, first, first, "admin")
    assert "admin" not in _roles_of(session, first)


def test_a_removed_admin_can_no_longer_change_roles(session) -> None:
    first = make_user(session, roles={Role.admin})
    second = make_user(session, roles={Role.admin})
    _remove(session, second, first, "admin")
    person = make_user(session)
    session.refresh(first)
    session.expunge(first)
    first.roles = "admin citizen"  # what a request that read it earlier still holds
    with pytest.raises(Forbidden, match="no longer an admin"):
        _grant(session, first, person.pseudonym, "moderator")


def test_a_role_changed_meanwhile_is_refused(session) -> None:
    admin = make_user(session, roles={Role.admin})
    person = make_user(session, roles={Role.moderator})
    session.expunge(person)  # the account as this request read it: "citizen moderator"
    other = session.get(User, person.id)  # another admin grants organiser meanwhile
    other.roles = "citizen moderator organiser"
    session.flush()
    session.expunge(other)
    session.add(person)
    with pytest.raises(Conflict, match="changed by someone else"):
        roles.remove_role(
            session,
            user_id=person.id,
            values={"role": "moderator", "reason": REASON},
            admin=admin,
            now=utcnow(),
        )


@pytest.mark.parametrize(
    ("values", "field", "problem"),
    [
        (
            {"pseudonym": "NoSuchPerson", "role": "moderator", "reason": REASON},
            "pseudonym",
            "No participant",
        ),
        ({"pseudonym": "", "role": "moderator", "reason": REASON}, "pseudonym", "Enter"),
        ({"pseudonym": "X", "role": "moderator", "reason": ""}, "reason", "Enter the reason"),
    ],
)
def test_a_grant_form_with_a_problem_says_which_field(session, values, field, problem) -> None:
    with pytest.raises(FormInvalid) as refused:
        roles.grant_role(
            session, values=values, admin=make_user(session, roles={Role.admin}), now=utcnow()
        )
    assert problem in refused.value.errors[field]


def test_the_roles_page_counts_custodians_against_the_two_person_rule(session) -> None:
    before = roles.roles_page(session, two_person_rule=True)
    make_user(session, roles={Role.custodian})
    after = roles.roles_page(session, two_person_rule=True)
    assert after.counts["custodian"] == before.counts["custodian"] + 1
    assert after.custodians_needed == 2
    assert after.custodian_shortfall == max(0, 2 - after.counts["custodian"])
    assert roles.roles_page(session, two_person_rule=False).custodians_needed == 1
