"""A real OpenID Connect provider for tests (``tests/oidc/provider.mjs``, npm ``oidc-provider``).

``running_oidc_provider(redirect_uris)`` starts it on 127.0.0.1 on a free port and yields an
``OidcProvider`` with two static clients:

- ``client_id``/``client_secret`` (``reclaim-test``, client_secret_basic by default);
- ``pkjwt_client_id`` (``reclaim-pkjwt``, private_key_jwt); sign client assertions with
  ``pkjwt_private_jwk`` (an RSA private JWK generated for this run, ``alg`` RS256).

PKCE (S256) is required. The login page accepts any login name and password. The claims depend on
the login: sub ``<login>``, email ``<login>@example.test`` (verified), given_name ``<login>``,
family_name ``Tester``, birthdate 1990-01-01 (or the date in a ``born-YYYY-MM-DD`` part of the
login), and in the ID token ``vot`` = ``Cl`` when the login starts with ``low-``, otherwise
``Cl.Cm.P2`` (plus ``vtm``). ID tokens are signed RS256.

``running_oidc_provider(..., core_identity=True)`` also makes userinfo offer GOV.UK One Login's
``https://vocab.account.gov.uk/v1/coreIdentityJWT`` when the claims parameter asks for it: signed
ES256 with ``core_identity_private_jwk`` (EC P-256, generated for this run) by
``core_identity_issuer``; verify with ``core_identity_public_jwk``. Its sub is the login, aud the
client id, vot ``Cl`` for ``low-`` logins else ``P2``; the current name is the capitalised login
and ``Tester`` ("ada" → "Ada Tester"), after an older name with ``validUntil``; birth date as
above. Logins starting with ``no-identity-`` get no such JWT.

``complete_login(http_client, authorize_url, login="alice")`` walks the login and consent pages
with a plain ``httpx.Client`` and returns the redirect to the client's callback (with ``code`` and
``state``) without following it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import selectors
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
from bs4 import BeautifulSoup
from joserfc import jwk, jwt

OIDC_DIR = Path(__file__).resolve().parent.parent / "oidc"
PROVIDER_SCRIPT = OIDC_DIR / "provider.mjs"
DEFAULT_SCOPE = "openid email profile"
CORE_IDENTITY_ISSUER = "https://identity.reclaim-test.invalid/"


class OidcProviderUnavailable(RuntimeError):
    """Node, the npm packages or the provider itself are not working."""


def oidc_available() -> bool:
    """True when node and tests/oidc/node_modules/oidc-provider are installed."""
    return (
        shutil.which("node") is not None
        and (OIDC_DIR / "node_modules" / "oidc-provider" / "package.json").is_file()
    )


def generate_private_jwk() -> dict[str, Any]:
    """A fresh RSA-2048 private JWK (dict) with ``kid``, ``alg`` RS256 and ``use`` sig."""
    key = jwk.RSAKey.generate_key(
        2048, parameters={"alg": "RS256", "use": "sig"}, private=True, auto_kid=True
    )
    return dict(key.as_dict(private=True))


def generate_ec_private_jwk() -> dict[str, Any]:
    """A fresh EC P-256 private JWK (dict) with ``kid``, ``alg`` ES256 and ``use`` sig."""
    key = jwk.ECKey.generate_key(
        "P-256", parameters={"alg": "ES256", "use": "sig"}, private=True, auto_kid=True
    )
    return dict(key.as_dict(private=True))


def public_jwks(private_jwk: dict[str, Any]) -> dict[str, Any]:
    """The public JWKS ({"keys": [...]}) for a private JWK."""
    return {"keys": [dict(jwk.import_key(private_jwk).as_dict(private=False))]}


def pkce_pair() -> tuple[str, str]:
    """A PKCE ``(code_verifier, code_challenge)`` pair for method S256."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class AuthorizationRequest:
    """An authorization URL together with the secrets needed to finish the flow."""

    url: str
    client_id: str
    redirect_uri: str
    state: str
    nonce: str
    code_verifier: str


@dataclass
class OidcProvider:
    """A running provider. Endpoint URLs come from its discovery document (``metadata``)."""

    issuer: str
    port: int
    client_id: str
    client_secret: str
    client_auth_method: str
    pkjwt_client_id: str
    pkjwt_private_jwk: dict[str, Any]
    redirect_uris: list[str]
    metadata: dict[str, Any] = field(default_factory=dict)
    log_path: Path | None = None
    core_identity_issuer: str | None = None
    core_identity_private_jwk: dict[str, Any] | None = None

    @property
    def core_identity_public_jwk(self) -> dict[str, Any] | None:
        """The public JWK that verifies core identity JWTs (None without core_identity)."""
        if self.core_identity_private_jwk is None:
            return None
        return dict(jwk.import_key(self.core_identity_private_jwk).as_dict(private=False))

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def authorization_endpoint(self) -> str:
        return str(self.metadata["authorization_endpoint"])

    @property
    def token_endpoint(self) -> str:
        return str(self.metadata["token_endpoint"])

    @property
    def userinfo_endpoint(self) -> str:
        return str(self.metadata["userinfo_endpoint"])

    @property
    def jwks_uri(self) -> str:
        return str(self.metadata["jwks_uri"])

    @property
    def pkjwt_public_jwks(self) -> dict[str, Any]:
        return public_jwks(self.pkjwt_private_jwk)

    def log(self) -> str:
        """What the provider wrote on stderr so far (warnings and errors)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def authorization_request(
        self,
        *,
        redirect_uri: str | None = None,
        client_id: str | None = None,
        scope: str = DEFAULT_SCOPE,
        **extra_params: str,
    ) -> AuthorizationRequest:
        """Build an authorization-code request with PKCE S256, a random state and nonce."""
        verifier, challenge = pkce_pair()
        request = AuthorizationRequest(
            url="",
            client_id=client_id or self.client_id,
            redirect_uri=redirect_uri or self.redirect_uris[0],
            state=secrets.token_urlsafe(16),
            nonce=secrets.token_urlsafe(16),
            code_verifier=verifier,
        )
        params = {
            "response_type": "code",
            "client_id": request.client_id,
            "redirect_uri": request.redirect_uri,
            "scope": scope,
            "state": request.state,
            "nonce": request.nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            **extra_params,
        }
        request.url = f"{self.authorization_endpoint}?{urlencode(params)}"
        return request

    def client_assertion(self, *, client_id: str | None = None, audience: str | None = None) -> str:
        """A private_key_jwt client assertion signed with ``pkjwt_private_jwk``."""
        client = client_id or self.pkjwt_client_id
        now = int(time.time())
        claims = {
            "iss": client,
            "sub": client,
            "aud": audience or self.token_endpoint,
            "jti": str(uuid.uuid4()),
            "iat": now,
            "exp": now + 300,
        }
        header = {"alg": "RS256", "kid": self.pkjwt_private_jwk["kid"]}
        return jwt.encode(header, claims, jwk.import_key(self.pkjwt_private_jwk))

    def exchange_code(
        self,
        http_client: httpx.Client,
        callback_url: str,
        request: AuthorizationRequest,
        *,
        private_key_jwt: bool = False,
    ) -> dict[str, Any]:
        """Trade the code in ``callback_url`` at the token endpoint; return the JSON answer.

        Authenticates as ``client_id`` with its secret, or with ``private_key_jwt=True`` as
        ``pkjwt_client_id`` with a signed client assertion. Raises on a non-200 answer.
        """
        query = parse_qs(urlsplit(callback_url).query)
        if "code" not in query:
            raise AssertionError(f"no code in callback {callback_url}")
        if query.get("state", [""])[0] != request.state:
            raise AssertionError(f"state mismatch in callback {callback_url}")
        form = {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": request.redirect_uri,
            "code_verifier": request.code_verifier,
        }
        auth: tuple[str, str] | None = None
        if private_key_jwt:
            form["client_id"] = request.client_id
            form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            form["client_assertion"] = self.client_assertion(client_id=request.client_id)
        elif self.client_auth_method == "client_secret_post":
            form["client_id"] = request.client_id
            form["client_secret"] = self.client_secret
        else:
            auth = (request.client_id, self.client_secret)
        response = http_client.post(self.token_endpoint, data=form, auth=auth)
        if response.status_code != 200:
            raise AssertionError(f"token endpoint said {response.status_code}: {response.text}")
        return dict(response.json())

    def decode_id_token(self, http_client: httpx.Client, id_token: str) -> dict[str, Any]:
        """Verify an ID token's signature against the provider's JWKS and its iss/exp; return
        its claims."""
        keys = jwk.KeySet.import_key_set(http_client.get(self.jwks_uri).json())
        token = jwt.decode(id_token, keys, algorithms=["RS256", "PS256", "ES256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.issuer},
            exp={"essential": True},
        ).validate(token.claims)
        return dict(token.claims)


def complete_login(
    http_client: httpx.Client,
    authorize_url: str,
    login: str = "alice",
    *,
    password: str = "any-password",
    max_steps: int = 20,
) -> str:
    """Follow ``authorize_url`` through the provider's login and consent pages.

    Returns the first redirect that leaves the provider (the client's callback URL carrying
    ``code`` and ``state``, or ``error``), without requesting it. Cookies live in
    ``http_client``; a second call with the same client reuses the provider session (then the
    login page is skipped and ``login`` is ignored).
    """
    provider_origin = _origin(authorize_url)
    url = authorize_url
    response = http_client.get(url, follow_redirects=False)
    for _step in range(max_steps):
        if response.is_redirect:
            target = urljoin(str(response.url), response.headers["location"])
            if _origin(target) != provider_origin:
                return target
            response = http_client.get(target, follow_redirects=False)
            continue
        if response.status_code != 200:
            raise AssertionError(
                f"provider answered {response.status_code} at {response.url}: {response.text[:500]}"
            )
        response = _submit_interaction(http_client, response, login=login, password=password)
    raise AssertionError(f"login did not finish in {max_steps} steps")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _submit_interaction(
    http_client: httpx.Client, page: httpx.Response, *, login: str, password: str
) -> httpx.Response:
    soup = BeautifulSoup(page.text, "html.parser")
    form = soup.find("form", attrs={"method": "post"})
    if form is None:
        raise AssertionError(f"no form on provider page {page.url}: {page.text[:500]}")
    data = {
        str(field_.get("name")): str(field_.get("value") or "")
        for field_ in form.find_all("input")
        if field_.get("name")
    }
    if data.get("prompt") == "login":
        data["login"] = login
        data["password"] = password
    elif data.get("prompt") != "consent":
        raise AssertionError(f"unexpected provider form at {page.url}: {data}")
    action = urljoin(str(page.url), str(form.get("action")))
    return http_client.post(action, data=data, follow_redirects=False)


def _read_ready_line(process: subprocess.Popen[bytes], timeout: float) -> dict[str, Any]:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buffer = b""
    try:
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise OidcProviderUnavailable(f"provider not ready within {timeout}s")
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                raise OidcProviderUnavailable(f"provider exited with {process.wait(5)}")
            buffer += chunk
    finally:
        selector.close()
    return dict(json.loads(buffer.split(b"\n", 1)[0]))


def _wait_for_discovery(url: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == 200:
                return dict(response.json())
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise OidcProviderUnavailable(f"{url} did not answer within {timeout}s")
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes], stdin: IO[bytes] | None) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    for stream in (stdin, process.stdout):
        if stream is not None:
            stream.close()


@contextmanager
def running_oidc_provider(
    redirect_uris: list[str],
    *,
    post_logout_redirect_uris: list[str] | None = None,
    client_auth_method: str = "client_secret_basic",
    core_identity: bool = False,
    core_identity_issuer: str = CORE_IDENTITY_ISSUER,
    timeout: float = 20,
) -> Iterator[OidcProvider]:
    """Start ``node tests/oidc/provider.mjs`` on 127.0.0.1 and a free port; stop it afterwards.
    With ``core_identity``, userinfo offers a One Login core identity JWT (see the module)."""
    node = shutil.which("node")
    if node is None or not oidc_available():
        raise OidcProviderUnavailable(
            "node or tests/oidc/node_modules missing: run scripts/install-test-deps.sh "
            "(or `npm ci` in tests/oidc)"
        )
    if not redirect_uris:
        raise ValueError("at least one redirect URI is needed")
    private_jwk = generate_private_jwk()
    client_secret = secrets.token_urlsafe(24)
    env = dict(
        os.environ,
        OIDC_PORT="0",
        OIDC_REDIRECT_URIS=",".join(redirect_uris),
        OIDC_POST_LOGOUT_REDIRECT_URIS=",".join(post_logout_redirect_uris or []),
        OIDC_CLIENT_SECRET=client_secret,
        OIDC_CLIENT_AUTH_METHOD=client_auth_method,
        OIDC_PKJWT_JWKS=json.dumps(public_jwks(private_jwk)),
        NODE_NO_WARNINGS="1",
    )
    env.pop("OIDC_ISSUER", None)
    env.pop("OIDC_CORE_IDENTITY_ISSUER", None)
    env.pop("OIDC_CORE_IDENTITY_JWK", None)
    core_identity_jwk = generate_ec_private_jwk() if core_identity else None
    if core_identity_jwk is not None:
        env["OIDC_CORE_IDENTITY_ISSUER"] = core_identity_issuer
        env["OIDC_CORE_IDENTITY_JWK"] = json.dumps(core_identity_jwk)
    with tempfile.NamedTemporaryFile(prefix="reclaim-oidc-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
        process = subprocess.Popen(
            [node, str(PROVIDER_SCRIPT)],
            cwd=OIDC_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
    try:
        try:
            ready = _read_ready_line(process, timeout)
            provider = OidcProvider(
                issuer=ready["issuer"],
                port=int(ready["port"]),
                client_id=ready["client_id"],
                client_secret=ready["client_secret"],
                client_auth_method=ready["client_auth_method"],
                pkjwt_client_id=ready["pkjwt_client_id"],
                pkjwt_private_jwk=private_jwk,
                redirect_uris=list(redirect_uris),
                log_path=log_path,
                core_identity_issuer=ready.get("core_identity_issuer"),
                core_identity_private_jwk=core_identity_jwk,
            )
            provider.metadata = _wait_for_discovery(provider.discovery_url, timeout)
        except OidcProviderUnavailable as error:
            raise OidcProviderUnavailable(
                f"{error}\n{log_path.read_text(errors='replace')[-3000:]}"
            ) from error
        yield provider
    finally:
        _stop(process, process.stdin)
        log_path.unlink(missing_ok=True)
