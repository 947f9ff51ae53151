"""OpenID Connect client (Authlib): identity verification through a provider such as GOV.UK One
Login, or any standard OpenID Connect provider.

The flow is the authorization code flow with PKCE (S256), ``state`` and ``nonce``:

1. ``start_login`` stores an ``OidcLogin`` (SHA-256 of ``state``, the ``nonce``, the PKCE
   verifier, where to go next, and the account to link when a signed-in person verifies) and
   returns the provider's authorization URL. The raw ``state`` also goes in a short-lived cookie,
   so the callback must come back to the browser that started it.
2. ``finish_login`` checks the callback's ``state`` against the cookie and the stored login (used
   once, 10 minutes), trades the code at the token endpoint (client authentication by secret, or
   ``private_key_jwt`` with a fresh ``jti`` on every request), validates the ID token (signature
   against the provider's JWKS, ``iss``, ``aud``/``azp``, ``exp``, ``iat``, ``nonce`` and, when
   configured, GOV.UK One Login's ``vot`` against ``RECLAIM_OIDC_MIN_VOT``), reads the userinfo
   endpoint when there is one, and returns only the extracted attributes. The raw tokens are
   never stored.

GOV.UK One Login specifics are settings: ``vtr`` (``RECLAIM_OIDC_VTR``), the ``claims`` request
parameter (``RECLAIM_OIDC_CLAIMS``), ``private_key_jwt`` (``RECLAIM_OIDC_CLIENT_AUTH``), and every
request to the provider carries a ``User-Agent``. When a core identity issuer and key are set
(``RECLAIM_OIDC_CORE_IDENTITY_ISSUER``/``_KEYS``), the ``coreIdentityJWT`` claim is asked for in
userinfo and required: the name and birth date come from it, checked by ``app.onelogin``, and
nothing else. Otherwise they come from the standard ``name``/``given_name``/``family_name`` and
``birthdate`` claims.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.identity import onelogin
from app.identity.models import OidcLogin
from app.identity.onelogin import CoreIdentityConfig, vot_satisfies
from app.settings import Settings
from kernel import i18n
from kernel.errors import DomainError, NotFound

if TYPE_CHECKING:
    import httpx
    from joserfc import jwk

# httpx, Authlib and joserfc are imported where they are used: only sign-ins through a
# provider need them, and a worker serving pages stays some 20 MiB smaller without them.

LOGIN_LIFETIME = timedelta(minutes=10)
CLOCK_LEEWAY_SECONDS = 60
CACHE_SECONDS = 3600
ID_TOKEN_ALGORITHMS = ["RS256", "PS256", "ES256"]
STATE_COOKIE = "reclaim_oidc"


class OidcError(DomainError):
    """The provider's answer cannot be trusted or used. The message says what to do."""

    status_code = 400
    title = i18n.N_("Your identity could not be verified")


class OidcNotConfigured(NotFound):
    title = i18n.N_("Identity verification is not available")


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    auth_method: str
    client_secret: str | None
    private_jwk: dict[str, Any] | None
    scopes: str
    claims: str | None
    vtr: str | None
    min_vot: str | None
    redirect_uri: str
    user_agent: str
    provider_name: str
    core_identity: CoreIdentityConfig | None = None
    # The provider's metadata and keys, kept for CACHE_SECONDS (read-only documents; one cache
    # per configuration, so per site): url -> (monotonic time, document).
    documents: dict[str, tuple[float, dict[str, Any]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def requested_claims(self) -> str | None:
        """The ``claims`` request parameter: the configured one, plus the core identity JWT
        in userinfo when it is required."""
        if self.core_identity is None:
            return self.claims
        return onelogin.with_core_identity_claim(self.claims)

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcConfig | None:
        """The configuration, or None when no provider is set up."""
        if not settings.oidc_issuer or not settings.oidc_client_id:
            return None
        private_jwk = None
        if settings.oidc_private_key is not None:
            private_jwk = json.loads(settings.oidc_private_key.get_secret_value())
        secret = settings.oidc_client_secret
        core_identity = None
        if settings.oidc_core_identity_issuer and settings.oidc_core_identity_keys:
            core_identity = CoreIdentityConfig(
                issuer=settings.oidc_core_identity_issuer,
                keys=onelogin.load_public_keys(settings.oidc_core_identity_keys),
            )
        return cls(
            issuer=settings.oidc_issuer,  # compared exactly (GOV.UK's ends with "/")
            client_id=settings.oidc_client_id,
            auth_method=settings.oidc_client_auth,
            client_secret=secret.get_secret_value() if secret else None,
            private_jwk=private_jwk,
            scopes=settings.oidc_scopes,
            claims=settings.oidc_claims,
            vtr=settings.oidc_vtr,
            min_vot=settings.oidc_min_vot,
            redirect_uri=settings.base_url.rstrip("/") + "/auth/oidc/callback",
            user_agent=f"{settings.site_name}/0.1 (+{settings.base_url})",
            provider_name=settings.oidc_provider_name,
            core_identity=core_identity,
        )


def config_or_404(config: OidcConfig | None) -> OidcConfig:
    if config is None:
        raise OidcNotConfigured("This site does not offer identity verification.")
    return config


# Provider metadata and keys, cached in the configuration ----------------------------------


def _http(config: OidcConfig) -> httpx.Client:
    import httpx

    return httpx.Client(headers={"User-Agent": config.user_agent}, timeout=10)


def _get_json(config: OidcConfig, url: str, *, fresh: bool = False) -> dict[str, Any]:
    import httpx

    cached = config.documents.get(url)
    if cached and not fresh and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        with _http(config) as http:
            response = http.get(url)
            response.raise_for_status()
            document = dict(response.json())
    except (httpx.HTTPError, ValueError):
        raise OidcError(
            f"{config.provider_name} cannot be reached at the moment. Please try again later."
        ) from None
    config.documents[url] = (time.monotonic(), document)
    return document


def discover(config: OidcConfig) -> dict[str, Any]:
    """The provider's discovery document; its ``issuer`` must be exactly the configured one."""
    metadata = _get_json(config, config.issuer.rstrip("/") + "/.well-known/openid-configuration")
    if metadata.get("issuer") != config.issuer:
        raise OidcError("The identity provider's discovery document names another issuer.")
    return metadata


def _key_set(config: OidcConfig, metadata: dict[str, Any], *, fresh: bool = False) -> jwk.KeySet:
    from joserfc import jwk

    document = _get_json(config, metadata["jwks_uri"], fresh=fresh)
    # A JSON object as the provider sent it: joserfc checks it as it imports the keys.
    return jwk.KeySet.import_key_set(cast(jwk.KeySetSerialization, document))


# Starting -----------------------------------------------------------------------------------


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def purge_logins(session: Session, *, now: datetime) -> int:
    """Delete logins that expired (used or abandoned) over ``LOGIN_LIFETIME`` ago."""
    gone = session.exec(delete(OidcLogin).where(col(OidcLogin.expires_at) < now - LOGIN_LIFETIME))
    return gone.rowcount


@dataclass(frozen=True)
class StartedLogin:
    url: str
    state: str


def start_login(
    session: Session, *, config: OidcConfig, next_path: str, link_user_id: int | None, now: datetime
) -> StartedLogin:
    """Remember a new login (state, nonce, PKCE verifier) and build the authorization URL."""
    from authlib.integrations.httpx_client import OAuth2Client

    metadata = discover(config)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    purge_logins(session, now=now)
    session.add(
        OidcLogin(
            state_hash=_hash(state),
            nonce=nonce,
            code_verifier=verifier,
            next_path=next_path,
            user_id=link_user_id,
            created_at=now,
            expires_at=now + LOGIN_LIFETIME,
        )
    )
    extra: dict[str, str] = {"nonce": nonce}
    if config.vtr:
        extra["vtr"] = config.vtr
    if config.requested_claims:
        extra["claims"] = config.requested_claims
    client = OAuth2Client(
        client_id=config.client_id,
        scope=config.scopes,
        redirect_uri=config.redirect_uri,
        code_challenge_method="S256",
    )
    url, _ = client.create_authorization_url(
        metadata["authorization_endpoint"], state=state, code_verifier=verifier, **extra
    )
    client.close()
    return StartedLogin(url=url, state=state)


# Finishing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedClaims:
    """What Reclaim keeps from a provider's answer (into the vault): nothing else."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    birthdate: str | None
    vot: str | None


@dataclass(frozen=True)
class FinishedLogin:
    claims: VerifiedClaims
    next_path: str
    link_user_id: int | None


def _take_login(
    session: Session, *, state: str | None, cookie_state: str | None, now: datetime
) -> OidcLogin:
    if not state or not cookie_state or not hmac.compare_digest(state, cookie_state):
        raise OidcError(
            "This sign-in did not start in this browser, or it was tampered with. Start again."
        )
    login = session.exec(select(OidcLogin).where(OidcLogin.state_hash == _hash(state))).first()
    if login is None or login.used_at is not None or now >= login.expires_at:
        raise OidcError("This sign-in has expired or was already used. Start again.")
    taken = session.exec(
        update(OidcLogin)
        .where(col(OidcLogin.id) == login.id, col(OidcLogin.used_at).is_(None))
        .values(used_at=now)
    )
    if taken.rowcount != 1:
        raise OidcError("This sign-in was already used. Start again.")
    return login


@lru_cache(maxsize=1)
def _fresh_private_key_jwt_class() -> type:
    from authlib.oauth2.rfc7523 import PrivateKeyJWT

    # Authlib ships no type information, so its classes are ``Any`` to mypy.
    class FreshPrivateKeyJWT(PrivateKeyJWT):  # type: ignore[misc]
        """``private_key_jwt`` whose assertion has a new ``jti`` and a 5-minute life every time
        (GOV.UK One Login refuses a reused ``jti``)."""

        def __init__(self, token_endpoint: str, private_jwk: dict[str, Any]) -> None:
            super().__init__(token_endpoint, alg=private_jwk.get("alg", "RS256"))
            self.private_jwk = private_jwk

        def sign(self, auth: Any, token_endpoint: str) -> str:
            return client_assertion(auth.client_id, token_endpoint, self.private_jwk)

    return FreshPrivateKeyJWT


def client_assertion(client_id: str, token_endpoint: str, private_jwk: dict[str, Any]) -> str:
    from authlib.oauth2.rfc7523 import private_key_jwt_sign
    from joserfc import jwk

    key = jwk.import_key(private_jwk)
    header = {"kid": private_jwk["kid"]} if private_jwk.get("kid") else None
    assertion: str = private_key_jwt_sign(  # a compact JWS (joserfc's jwt.encode)
        key,
        client_id=client_id,
        token_endpoint=token_endpoint,
        alg=private_jwk.get("alg", "RS256"),
        claims={"jti": str(uuid.uuid4())},
        header=header,
        expires_in=300,
    )
    return assertion


def _exchange(
    config: OidcConfig, metadata: dict[str, Any], *, code: str, verifier: str
) -> dict[str, Any]:
    from authlib.integrations.httpx_client import OAuth2Client

    token_endpoint = metadata["token_endpoint"]
    client = OAuth2Client(
        client_id=config.client_id,
        client_secret=config.client_secret,
        token_endpoint_auth_method=config.auth_method,
        redirect_uri=config.redirect_uri,
        code_challenge_method="S256",
        headers={"User-Agent": config.user_agent},
        timeout=10,
    )
    if config.auth_method == "private_key_jwt":
        if not config.private_jwk:
            raise OidcError("Identity verification is misconfigured (no private key).")
        client.register_client_auth_method(
            _fresh_private_key_jwt_class()(token_endpoint, config.private_jwk)
        )
    try:
        with client:
            token = client.fetch_token(
                token_endpoint, grant_type="authorization_code", code=code, code_verifier=verifier
            )
    except Exception:  # noqa: BLE001 - any failure here means the same thing to the person
        raise OidcError(
            f"{config.provider_name} did not confirm this sign-in. Start again."
        ) from None
    return dict(token)


def validate_id_token(
    config: OidcConfig, metadata: dict[str, Any], id_token: str, *, nonce: str, now: datetime
) -> dict[str, Any]:
    """The ID token's claims if its signature, issuer, audience, times, nonce and level hold."""
    from joserfc import jwt
    from joserfc.errors import JoseError

    try:
        try:
            token = jwt.decode(id_token, _key_set(config, metadata), algorithms=ID_TOKEN_ALGORITHMS)
        except JoseError:  # perhaps the provider rotated its keys: fetch them once more
            token = jwt.decode(
                id_token, _key_set(config, metadata, fresh=True), algorithms=ID_TOKEN_ALGORITHMS
            )
    except (JoseError, ValueError):
        raise OidcError("The identity token's signature is not valid.") from None
    claims = dict(token.claims)
    if claims.get("iss") != config.issuer:
        raise OidcError("The identity token comes from another issuer.")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if config.client_id not in audiences or (
        len(audiences) > 1 and claims.get("azp") != config.client_id
    ):
        raise OidcError("The identity token was issued for another service.")
    try:
        jwt.JWTClaimsRegistry(
            now=int(now.timestamp()),
            leeway=CLOCK_LEEWAY_SECONDS,
            exp={"essential": True},
            iat={"essential": True},
            sub={"essential": True},
        ).validate(claims)
    except JoseError:
        raise OidcError(
            "The identity token has expired or is not yet valid. Start again."
        ) from None
    if not isinstance(claims.get("nonce"), str) or not hmac.compare_digest(claims["nonce"], nonce):
        raise OidcError("The identity token does not belong to this sign-in. Start again.")
    if config.min_vot and not vot_satisfies(claims.get("vot"), config.min_vot):
        raise OidcError(
            f"{config.provider_name} did not verify your identity to the level "
            "this site needs. Prove your identity with them, then try again."
        )
    return claims


def _userinfo(
    config: OidcConfig, metadata: dict[str, Any], access_token: str | None, subject: str
) -> dict[str, Any]:
    import httpx

    endpoint = metadata.get("userinfo_endpoint")
    if not endpoint or not access_token:
        return {}
    try:
        with _http(config) as http:
            response = http.get(endpoint, headers={"Authorization": f"Bearer {access_token}"})
            response.raise_for_status()
            info = dict(response.json())
    except (httpx.HTTPError, ValueError):
        return {}
    if info.get("sub") != subject:  # OpenID Connect Core 5.3.2: must match the ID token
        return {}
    return info


def _name(claims: dict[str, Any]) -> str | None:
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    parts = [claims.get("given_name"), claims.get("family_name")]
    joined = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return joined or None


def finish_login(
    session: Session,
    *,
    config: OidcConfig,
    state: str | None,
    cookie_state: str | None,
    code: str | None,
    error: str | None,
    now: datetime,
) -> FinishedLogin:
    """Check and complete a callback; returns the attributes to keep and where to go."""
    login = _take_login(session, state=state, cookie_state=cookie_state, now=now)
    if error:
        if error == "access_denied":
            raise OidcError("You cancelled at the identity provider. Nothing was changed.")
        raise OidcError(f"{config.provider_name} could not complete the sign-in. Start again.")
    if not code:
        raise OidcError("The identity provider's answer is incomplete. Start again.")
    metadata = discover(config)
    token = _exchange(config, metadata, code=code, verifier=login.code_verifier)
    if not token.get("id_token"):
        raise OidcError("The identity provider sent no identity token.")
    claims = validate_id_token(config, metadata, token["id_token"], nonce=login.nonce, now=now)
    userinfo = _userinfo(config, metadata, token.get("access_token"), claims["sub"])
    merged = {**userinfo, **claims}
    email = merged.get("email") if isinstance(merged.get("email"), str) else None
    name = _name(merged)
    birthdate = merged.get("birthdate") if isinstance(merged.get("birthdate"), str) else None
    if config.core_identity is not None:  # GOV.UK One Login: only its signed credential counts
        verified = onelogin.verify_core_identity(
            config.core_identity,
            userinfo.get(onelogin.CORE_IDENTITY_CLAIM),
            subject=str(claims["sub"]),
            client_id=config.client_id,
            minimum_vot=config.min_vot,
            provider_name=config.provider_name,
            now=now,
        )
        name, birthdate = verified.name, verified.birthdate
    return FinishedLogin(
        claims=VerifiedClaims(
            issuer=claims["iss"],
            subject=str(claims["sub"]),
            email=email,
            email_verified=merged.get("email_verified") is True,
            name=name,
            birthdate=birthdate,
            vot=claims.get("vot"),
        ),
        next_path=login.next_path,
        link_user_id=login.user_id,
    )
