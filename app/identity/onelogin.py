"""GOV.UK One Login specifics: vectors of trust, and the core identity credential.

One Login does not send the verified name and birth date as plain claims. With the ``claims``
request parameter ``{"userinfo": {"https://vocab.account.gov.uk/v1/coreIdentityJWT": null}}`` its
userinfo answer carries them as a JWT signed ES256 by One Login's identity service (a different
issuer and key from the ID token's; the public keys are published in a DID document, and Reclaim
takes them from settings, never from the network at run time). ``verify_core_identity`` checks the
JWT and returns only the current name and the birth date.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kernel import i18n
from kernel.errors import DomainError

if TYPE_CHECKING:
    from joserfc.jwk import ECKey

# joserfc is imported where it is used: only sign-ins through a provider need it, and a worker
# serving pages never loads it (nor cryptography behind it).

CORE_IDENTITY_CLAIM = "https://vocab.account.gov.uk/v1/coreIdentityJWT"
CORE_IDENTITY_ALGORITHMS = ["ES256"]
CLOCK_LEEWAY_SECONDS = 60


class CoreIdentityError(DomainError):
    """The verified identity in the provider's answer is missing or cannot be trusted."""

    status_code = 400
    title = i18n.N_("Your identity could not be verified")


def vot_satisfies(vot: str | None, minimum: str) -> bool:
    """Whether a GOV.UK One Login vector of trust (``Cl.Cm.P2``) meets ``minimum``.

    Credential components (``Cl``, ``Cm``) must all be present; the identity level ``P<n>``
    must be at least the minimum's (no ``P`` counts as ``P0``).
    """
    if not vot:
        return False
    have_c, have_p = _parse_vot(vot)
    need_c, need_p = _parse_vot(minimum)
    return need_c <= have_c and have_p >= need_p


def _parse_vot(value: str) -> tuple[set[str], int]:
    parts = [p for p in value.strip().split(".") if p]
    levels = [int(p[1:]) for p in parts if p[:1] == "P" and p[1:].isdigit()]
    return {p for p in parts if p[:1] == "C"}, max(levels, default=0)


def identity_level(minimum: str | None) -> str:
    """The identity part of a minimum vector of trust (``Cl.Cm.P2`` → ``P2``), which is what a
    core identity JWT's ``vot`` states; at least ``P1`` (a credential of no identity level
    verifies nothing)."""
    _, level = _parse_vot(minimum or "")
    return f"P{max(level, 1)}"


# Configuration ------------------------------------------------------------------------------


def load_public_keys(text: str) -> tuple[ECKey, ...]:
    """The EC P-256 public keys in a JWK or a JWK Set (JSON). Raises ``ValueError``."""
    from joserfc.errors import JoseError
    from joserfc.jwk import ECKey

    try:
        document = json.loads(text)
    except ValueError:
        raise ValueError("is not JSON (a JWK or a JWK Set)") from None
    if not isinstance(document, dict):
        raise ValueError("must be a JSON object (a JWK or a JWK Set)")
    entries = document.get("keys", [document])
    if not isinstance(entries, list) or not entries:
        raise ValueError("holds no key")
    keys = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "EC" or entry.get("crv") != "P-256":
            raise ValueError("must hold EC P-256 keys only (ES256)")
        public = {name: entry[name] for name in ("kty", "crv", "x", "y", "kid") if name in entry}
        try:
            keys.append(ECKey.import_key(public))
        except (JoseError, ValueError, TypeError):
            raise ValueError("holds a key that cannot be read") from None
    return tuple(keys)


def with_core_identity_claim(claims: str | None) -> str:
    """The ``claims`` request parameter (JSON) with the core identity JWT asked for in userinfo.
    Raises ``ValueError`` if ``claims`` is not a JSON object."""
    document = json.loads(claims) if claims else {}
    if not isinstance(document, dict) or not isinstance(document.get("userinfo") or {}, dict):
        raise ValueError("must be a JSON object whose 'userinfo' is an object")
    userinfo = dict(document.get("userinfo") or {})
    userinfo.setdefault(CORE_IDENTITY_CLAIM, None)
    return json.dumps({**document, "userinfo": userinfo}, separators=(",", ":"))


@dataclass(frozen=True)
class CoreIdentityConfig:
    issuer: str
    keys: tuple[ECKey, ...]


@dataclass(frozen=True)
class CoreIdentity:
    """What Reclaim keeps from a core identity JWT."""

    name: str
    birthdate: str


# Verification -------------------------------------------------------------------------------


def _candidate_keys(config: CoreIdentityConfig, kid: Any) -> list[ECKey]:
    """Keys whose ``kid`` is the token's; keys without a ``kid`` are tried for any token."""
    if not isinstance(kid, str) or not kid:
        return list(config.keys)
    return [key for key in config.keys if key.kid in (None, kid)]


def _decode(config: CoreIdentityConfig, token: str, refused: CoreIdentityError) -> dict[str, Any]:
    from joserfc import jws, jwt
    from joserfc.errors import JoseError

    try:
        header = jws.extract_compact(token.encode("ascii")).protected
    except (JoseError, ValueError, UnicodeError):
        raise refused from None
    if header.get("alg") not in CORE_IDENTITY_ALGORITHMS:
        raise refused
    for key in _candidate_keys(config, header.get("kid")):
        try:
            return dict(jwt.decode(token, key, algorithms=CORE_IDENTITY_ALGORITHMS).claims)
        except (JoseError, ValueError):
            continue
    raise refused


def _current_name(subject: dict[str, Any]) -> str | None:
    names = [n for n in subject.get("name") or [] if isinstance(n, dict)]
    if not names:
        return None
    current = next((n for n in names if "validUntil" not in n), names[0])
    parts = [
        p
        for p in current.get("nameParts") or []
        if isinstance(p, dict) and isinstance(p.get("value"), str) and p["value"].strip()
    ]
    ordered = [
        p["value"].strip()
        for kind in ("GivenName", "FamilyName")
        for p in parts
        if p.get("type") == kind
    ]
    return " ".join(ordered) or None


def _birthdate(subject: dict[str, Any]) -> str | None:
    dates = subject.get("birthDate")
    if not isinstance(dates, list) or not dates or not isinstance(dates[0], dict):
        return None
    value = dates[0].get("value")
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


def verify_core_identity(
    config: CoreIdentityConfig,
    token: Any,
    *,
    subject: str,
    client_id: str,
    minimum_vot: str | None,
    provider_name: str,
    now: datetime,
) -> CoreIdentity:
    """The current name and birth date in a core identity JWT, if it holds: ES256 signature by
    a configured key, ``iss`` the configured issuer, ``sub`` the ID token's, ``aud`` our client
    id, ``exp``/``nbf`` (60 s leeway), ``vot`` at least the identity level of ``minimum_vot``.
    Raises ``CoreIdentityError`` otherwise."""
    from joserfc import jwt
    from joserfc.errors import JoseError

    if not isinstance(token, str) or not token:
        raise CoreIdentityError(
            f"{provider_name} did not send your verified identity. Prove "
            "your identity with them, then try again."
        )
    claims = _decode(
        config,
        token,
        CoreIdentityError(
            i18n._(
                "The verified identity from {provider_name} is not validly signed.",
                provider_name=provider_name,
            )
        ),
    )
    if claims.get("iss") != config.issuer:
        raise CoreIdentityError(i18n._("The verified identity comes from another issuer."))
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences:
        raise CoreIdentityError(i18n._("The verified identity was issued for another service."))
    if not isinstance(claims.get("sub"), str) or not hmac.compare_digest(claims["sub"], subject):
        raise CoreIdentityError(
            i18n._("The verified identity is not that of the person who signed in. Start again.")
        )
    try:
        jwt.JWTClaimsRegistry(
            now=int(now.timestamp()), leeway=CLOCK_LEEWAY_SECONDS, exp={"essential": True}
        ).validate(claims)
    except JoseError:
        raise CoreIdentityError(
            i18n._("The verified identity has expired or is not yet valid. Start again.")
        ) from None
    if not vot_satisfies(claims.get("vot"), identity_level(minimum_vot)):
        raise CoreIdentityError(
            f"{provider_name} did not verify your identity to the level "
            "this site needs. Prove your identity with them, then try again."
        )
    vc = claims.get("vc")
    types = vc.get("type") if isinstance(vc, dict) else None
    subject_data = vc.get("credentialSubject") if isinstance(vc, dict) else None
    if (
        not isinstance(types, list)
        or "IdentityCheckCredential" not in types
        or not isinstance(subject_data, dict)
    ):
        raise CoreIdentityError(
            i18n._("The verified identity is not an identity check credential.")
        )
    name, birthdate = _current_name(subject_data), _birthdate(subject_data)
    if name is None or birthdate is None:
        raise CoreIdentityError(i18n._("The verified identity has no name or no birth date."))
    return CoreIdentity(name=name, birthdate=birthdate)
