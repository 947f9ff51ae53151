"""The site's details: who runs it, how to reach them, and the support services shown on "How
to report abuse". They are data, edited in /admin, not settings: the people who run a site
change them without a restart or a deployment.

Until an admin saves them, the shipped defaults (``app/admin/defaults/site.toml``) apply.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.accounts.models import User
from app.admin.fields import text_field
from app.admin.models import SiteDetails
from app.audit import log as audit
from app.identity.vault.blind_index import InvalidEmail, normalise_email
from kernel import i18n
from kernel.errors import Conflict, FormInvalid

DEFAULTS = Path(__file__).resolve().parent / "defaults" / "site.toml"
MAX_SERVICES = 30
LINK = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class SupportService:
    name: str
    contact: str
    description: str

    @property
    def link(self) -> str | None:
        """The contact as a link when it is a web address (a telephone number is not)."""
        return self.contact if LINK.match(self.contact) else None


@dataclass(frozen=True)
class Details:
    organisation_name: str
    contact_email: str
    postal_address: str
    support_services: tuple[SupportService, ...]
    version: int  # 0: the shipped defaults, never saved here
    updated_at: datetime | None = None

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.postal_address.splitlines() if line.strip()]


def _services(entries: list[dict[str, str]]) -> tuple[SupportService, ...]:
    return tuple(
        SupportService(e.get("name", ""), e.get("contact", ""), e.get("description", ""))
        for e in entries
    )


@lru_cache(maxsize=1)
def default_details() -> Details:
    data = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    return Details(
        organisation_name=data["organisation_name"],
        contact_email=data.get("contact_email", ""),
        postal_address=data.get("postal_address", ""),
        support_services=_services(data.get("support_services", [])),
        version=0,
    )


def site_details(session: Session) -> Details:
    row = session.get(SiteDetails, 1)
    if row is None:
        return default_details()
    return Details(
        organisation_name=row.organisation_name,
        contact_email=row.contact_email,
        postal_address=row.postal_address,
        support_services=_services(row.support_services),
        version=row.version,
        updated_at=row.updated_at,
    )


def services_text(services: tuple[SupportService, ...]) -> str:
    """The services as the form shows them: one "Name | how to reach them | what they do"
    line each."""
    return "\n".join(f"{s.name} | {s.contact} | {s.description}" for s in services)


def form_values(details: Details) -> dict[str, str]:
    return {
        "organisation_name": details.organisation_name,
        "contact_email": details.contact_email,
        "postal_address": details.postal_address,
        "support_services": services_text(details.support_services),
        "version": str(details.version),
    }


def _parse_services(errors: dict[str, str], text: str | None) -> list[dict[str, str]]:
    services, bad = [], []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.split("|")]
        if (
            len(parts) != 3
            or not all(parts[:2])
            or len(parts[0]) > 100
            or len(parts[1]) > 200
            or len(parts[2]) > 300
        ):
            bad.append(str(number))
            continue
        services.append({"name": parts[0], "contact": parts[1], "description": parts[2]})
    if bad:
        errors["support_services"] = i18n._(
            "Write each service as “Name | telephone or web address | what they help with” on its "
            "own line (see line {join}); names up to 100 characters, contacts up to 200, "
            "descriptions up to 300.",
            join=", ".join(bad),
        )
    elif len(services) > MAX_SERVICES:
        errors["support_services"] = i18n._(
            "List at most {MAX_SERVICES} services.", MAX_SERVICES=MAX_SERVICES
        )
    return services


def save_details(
    session: Session, *, values: dict[str, str | None], admin: User, now: datetime
) -> Details:
    errors: dict[str, str] = {}
    name = text_field(
        errors, values, "organisation_name", label="the organisation's name", maximum=200
    )
    email = text_field(
        errors, values, "contact_email", label="the contact address", maximum=254, required=False
    )
    if email:
        try:
            normalise_email(email)
        except InvalidEmail:
            errors["contact_email"] = i18n._("Enter an e-mail address like contact@example.org.")
    address = text_field(
        errors,
        values,
        "postal_address",
        label="the postal address",
        maximum=500,
        required=False,
        multiline=True,
    )
    services = _parse_services(errors, values.get("support_services"))
    seen = (values.get("version") or "").strip()
    if not seen.isdigit():
        errors["organisation_name"] = errors.get("organisation_name") or "Open this form again."
    if errors:
        raise FormInvalid(errors)
    fields: dict[str, Any] = {
        "organisation_name": name,
        "contact_email": email,
        "postal_address": address,
        "support_services": services,
        "updated_by": admin.id,
        "updated_at": now,
    }
    if int(seen) == 0:
        session.add(SiteDetails(id=1, version=1, **fields))
        try:
            session.flush()  # a clash spoils the transaction: the caller rolls it back
        except IntegrityError:
            raise _changed_meanwhile() from None
    else:
        done = session.exec(
            update(SiteDetails)
            .where(col(SiteDetails.id) == 1, col(SiteDetails.version) == int(seen))
            .values(version=col(SiteDetails.version) + 1, **fields)
        )
        if done.rowcount != 1:
            raise _changed_meanwhile()
    session.expire_all()
    audit.record(
        session,
        actor_id=admin.id,
        action="site.details",
        subject_type="site",
        subject_id=1,
        details={"services": len(services)},
        now=now,
    )
    return site_details(session)


def _changed_meanwhile() -> Conflict:
    return Conflict(
        i18n._(
            "Another admin changed the site's details while you were editing them. Open the "
            "form again to see their change, then make yours."
        )
    )
