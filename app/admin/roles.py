"""Roles, as admins grant and remove them, each change in the audit log with its reason.

The rules: only moderator, organiser, custodian and admin are granted (everyone is a citizen);
nobody makes themselves a custodian (a custodian can ask to see who is behind a pseudonym, so
another admin must decide); the last admin cannot be removed; and the page says how many
custodians there are against the two the two-person rule needs.

Every change is a conditional update of the account's roles (``WHERE roles = <as read>``), and
all of them first lock the admins' rows (``FOR UPDATE`` on PostgreSQL; on SQLite the update
itself takes the database's one write lock before anything is counted). So two admins who
remove each other at the same moment cannot both succeed: the second sees what the first did,
and is refused because it would leave no admin (or because they are no longer an admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app.accounts.models import AccountStatus, Role, User
from app.admin.fields import reason_field, text_field
from app.audit import log as audit
from kernel import i18n, paging
from kernel.errors import Conflict, Forbidden, FormInvalid, NotFound

GRANTABLE = (Role.moderator, Role.organiser, Role.custodian, Role.admin)
PER_PAGE = 50


def _holds(role: Role) -> ColumnElement[bool]:
    """Accounts holding ``role`` (roles are space-separated words)."""
    return (literal(" ") + col(User.roles) + literal(" ")).like(f"% {role.value} %")


@dataclass(frozen=True)
class StaffMember:
    id: int
    pseudonym: str
    roles: list[str]
    status: str


@dataclass(frozen=True)
class RolesPage:
    staff: list[StaffMember]
    counts: dict[str, int]
    custodians_needed: int
    page: int
    pages: int

    @property
    def custodian_shortfall(self) -> int:
        return max(0, self.custodians_needed - self.counts[Role.custodian.value])


def role_counts(session: Session) -> dict[str, int]:
    """Active accounts holding each grantable role."""
    return {
        role.value: session.exec(
            select(func.count())
            .select_from(User)
            .where(_holds(role), col(User.status) == AccountStatus.active)
        ).one()
        for role in GRANTABLE
    }


def roles_page(session: Session, *, two_person_rule: bool, page: int = 1) -> RolesPage:
    staff_only = col(User.roles) != Role.citizen.value
    total = session.exec(select(func.count()).select_from(User).where(staff_only)).one()
    page, pages = paging.clamp(page, total=total, per_page=PER_PAGE)
    rows = session.exec(
        select(User)
        .where(staff_only)
        .order_by(func.lower(User.pseudonym), col(User.id))
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    staff = [
        StaffMember(
            id=user.id or 0,
            pseudonym=user.pseudonym,
            roles=[r.value for r in GRANTABLE if user.has_role(r)],
            status=user.status,
        )
        for user in rows
    ]
    return RolesPage(
        staff=staff,
        counts=role_counts(session),
        custodians_needed=2 if two_person_rule else 1,
        page=page,
        pages=pages,
    )


def _role(errors: dict[str, str], value: str | None) -> Role | None:
    try:
        role = Role((value or "").strip())
    except ValueError:
        role = None
    if role not in GRANTABLE:
        errors["role"] = i18n._(
            "Choose one of the roles: moderator, organiser, custodian or admin."
        )
        return None
    return role


def _lock_admins(session: Session) -> None:
    """Hold the admins' rows until this transaction ends (PostgreSQL; in order, so that two
    changes never wait for each other in a circle)."""
    session.exec(select(User.id).where(_holds(Role.admin)).order_by(col(User.id)).with_for_update())


def _set_roles(session: Session, user: User, roles: set[str]) -> None:
    new = " ".join(sorted(roles | {Role.citizen.value}))
    changed = session.exec(
        update(User).where(col(User.id) == user.id, col(User.roles) == user.roles).values(roles=new)
    )
    if changed.rowcount != 1:
        raise Conflict(
            f"{user.pseudonym}'s roles were changed by someone else a moment ago. "
            "Look at them again before changing them."
        )
    session.refresh(user)


def _still_admin(session: Session, admin: User) -> None:
    roles = session.exec(select(User.roles).where(col(User.id) == admin.id)).one()
    if Role.admin.value not in roles.split():
        raise Forbidden(i18n._("You are no longer an admin, so you cannot change roles."))


def _record(
    session: Session,
    action: str,
    *,
    user: User,
    role: Role,
    reason: str,
    actor_id: int | None,
    now: datetime,
) -> None:
    assert user.id is not None, "a stored account"
    audit.record(
        session,
        actor_id=actor_id,
        action=f"role.{action}",
        subject_type="account",
        subject_id=user.id,
        details={"role": role.value, "reason": reason},
        now=now,
    )


def record_initial_roles(
    session: Session, *, user: User, roles: set[Role], reason: str, now: datetime
) -> None:
    """Audit the roles an account was created with at the command line (no signed-in actor:
    the operator at the server, as with the very first admin)."""
    for role in sorted(roles & set(GRANTABLE)):
        _record(session, "grant", user=user, role=role, reason=reason, actor_id=None, now=now)


def grant_role(
    session: Session, *, values: dict[str, str | None], admin: User, now: datetime
) -> User:
    errors: dict[str, str] = {}
    pseudonym = text_field(errors, values, "pseudonym", label="the person's pseudonym", maximum=40)
    role = _role(errors, values.get("role"))
    reason = reason_field(errors, values)
    user = None
    if pseudonym:
        user = session.exec(
            select(User).where(func.lower(User.pseudonym) == pseudonym.lower())
        ).first()
        if user is None:
            errors["pseudonym"] = i18n._(
                "No participant is called {pseudonym}. Check the spelling.", pseudonym=pseudonym
            )
        elif user.status in (AccountStatus.deleted, AccountStatus.excluded):
            errors["pseudonym"] = f"{user.pseudonym}'s account can no longer take part."
    if user is not None and role is not None and "pseudonym" not in errors:
        if role is Role.custodian and user.id == admin.id:
            errors["role"] = i18n._(
                "You cannot make yourself a custodian. Another admin must decide, so that "
                "nobody alone can give themselves the power to ask who someone is."
            )
        elif user.has_role(role):
            errors["role"] = f"{user.pseudonym} is already {_article(role)} {role.value}."
    if errors or user is None or role is None:
        raise FormInvalid(errors)
    _lock_admins(session)
    _set_roles(session, user, {r.value for r in user.role_set} | {role.value})
    _still_admin(session, admin)
    _record(session, "grant", user=user, role=role, reason=reason, actor_id=admin.id, now=now)
    return user


def remove_role(
    session: Session,
    *,
    user_id: int,
    values: dict[str, str | None],
    admin: User,
    now: datetime,
) -> User:
    errors: dict[str, str] = {}
    role = _role(errors, values.get("role"))
    reason = reason_field(errors, values)
    if errors or role is None:
        raise FormInvalid(errors)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(i18n._("There is no such account."))
    if not user.has_role(role):
        raise Conflict(f"{user.pseudonym} is not {_article(role)} {role.value}.")
    _lock_admins(session)
    _set_roles(session, user, {r.value for r in user.role_set} - {role.value})
    if user.id != admin.id:  # one's own roles were just checked by the conditional update
        _still_admin(session, admin)
    if role is Role.admin and role_counts(session)[Role.admin.value] == 0:
        raise Conflict(
            i18n._("This would leave the site with no admin. Make someone else an admin first.")
        )
    _record(session, "remove", user=user, role=role, reason=reason, actor_id=admin.id, now=now)
    return user


def _article(role: Role) -> str:
    return "an" if role.value[0] in "aeiou" else "a"
