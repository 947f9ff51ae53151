"""The test-support helpers really start what they promise: PostgreSQL, SMTP, Chromium, OIDC."""

from __future__ import annotations

import json
import smtplib
import time
import uuid
import warnings
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest

# authlib.jose is deprecated (for joserfc, which tests.support uses); it is here as a second,
# independent JOSE library. Importing authlib.deprecate installs an "always" filter, so go first.
with warnings.catch_warnings():
    import authlib.deprecate  # noqa: F401

    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebToken

from tests.support.browser import chromium_available, chromium_context
from tests.support.oidc import complete_login, oidc_available, running_oidc_provider
from tests.support.postgres import libpq_url, pg_dump, running_postgres
from tests.support.smtp import body_text, running_smtp

CALLBACK = "http://127.0.0.1:8765/auth/oidc/callback"


def test_postgres_accepts_a_table_and_pg_dump_shows_its_rows() -> None:
    with running_postgres() as url:
        assert url.startswith("postgresql+psycopg://")
        marker = f"marker-{uuid.uuid4().hex}"
        with psycopg.connect(libpq_url(url), autocommit=True) as connection:
            connection.execute("CREATE TABLE selftest_notes (body text NOT NULL)")
            connection.execute("INSERT INTO selftest_notes (body) VALUES (%s)", (marker,))
            rows = connection.execute("SELECT body FROM selftest_notes").fetchall()
            assert rows == [(marker,)]
        dump = pg_dump(url)
        assert "CREATE TABLE public.selftest_notes" in dump
        assert marker in dump
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(libpq_url(url), connect_timeout=2).close()


def test_postgres_role_is_not_a_superuser() -> None:
    with running_postgres() as url, psycopg.connect(libpq_url(url)) as connection:
        row = connection.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert row == (False,)


def test_smtp_sink_receives_what_smtplib_sends() -> None:
    with running_smtp() as sink:
        message = EmailMessage()
        message["From"] = "noreply@reclaim.test"
        message["To"] = "résumé@example.test"
        message["Subject"] = "Confirm your address ✓"
        message.set_content("Follow this link: https://reclaim.test/confirm/abc\n")
        with smtplib.SMTP(sink.host, sink.port, timeout=5) as client:
            client.send_message(message)
        received = sink.wait_for(lambda m: "Confirm" in str(m["Subject"]))
        assert received["Subject"] == "Confirm your address ✓"
        assert "https://reclaim.test/confirm/abc" in body_text(received)
        assert len(sink.messages) == 1
        assert sink.messages_to("RÉSUMÉ@example.test") == [received]


def test_smtp_wait_for_times_out_when_nothing_matches() -> None:
    with running_smtp() as sink:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            sink.wait_for(lambda m: True, timeout=0.3)
        assert time.monotonic() - started >= 0.3


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="no Chromium (apt-get install chromium)")
def test_chromium_reads_the_title_of_a_page_and_honours_javascript_off() -> None:
    from playwright.sync_api import sync_playwright

    html = "data:text/html,<title>Static</title><script>document.title='Scripted'</script>"
    with sync_playwright() as playwright:
        with chromium_context(playwright) as context:
            page = context.new_page()
            page.goto(html)
            assert page.title() == "Scripted"
        with chromium_context(playwright, javascript_enabled=False) as context:
            page = context.new_page()
            page.goto(html)
            assert page.title() == "Static"


needs_oidc = pytest.mark.skipif(not oidc_available(), reason="run npm ci in tests/oidc")


def _unverified_claims(id_token: str) -> dict[str, object]:
    payload = id_token.split(".")[1]
    return dict(json.loads(_b64decode(payload)))


def _b64decode(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@needs_oidc
def test_oidc_login_with_client_secret_gives_id_token_with_nonce_vot_and_email() -> None:
    with running_oidc_provider([CALLBACK, "http://127.0.0.1:8766/other"]) as provider:
        assert provider.issuer.startswith("http://127.0.0.1:")
        assert provider.metadata["code_challenge_methods_supported"] == ["S256"]
        with httpx.Client(timeout=10) as http:
            request = provider.authorization_request(redirect_uri=CALLBACK)
            callback = complete_login(http, request.url, login="alice")
            assert callback.startswith(CALLBACK + "?")
            query = parse_qs(urlsplit(callback).query)
            assert query["state"] == [request.state]
            tokens = provider.exchange_code(http, callback, request)
            claims = provider.decode_id_token(http, tokens["id_token"])
            assert claims["nonce"] == request.nonce
            assert claims["aud"] == provider.client_id
            assert claims["iss"] == provider.issuer
            assert claims["sub"] == "alice"
            assert claims["vot"] == "Cl.Cm.P2"
            assert claims["email"] == "alice@example.test"
            assert claims["email_verified"] is True
            assert claims["birthdate"] == "1990-01-01"
            userinfo = http.get(
                provider.userinfo_endpoint,
                headers={"Authorization": f"Bearer {tokens['access_token']}"},
            ).json()
            assert userinfo["email"] == "alice@example.test"


@needs_oidc
def test_oidc_token_endpoint_refuses_a_wrong_secret_and_a_missing_verifier() -> None:
    with running_oidc_provider([CALLBACK]) as provider, httpx.Client(timeout=10) as http:
        request = provider.authorization_request()
        callback = complete_login(http, request.url, login="mallory")
        code = parse_qs(urlsplit(callback).query)["code"][0]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": request.code_verifier,
        }
        wrong = http.post(provider.token_endpoint, data=form, auth=(provider.client_id, "nope"))
        assert wrong.status_code == 401
        no_verifier = {k: v for k, v in form.items() if k != "code_verifier"}
        missing = http.post(
            provider.token_endpoint,
            data=no_verifier,
            auth=(provider.client_id, provider.client_secret),
        )
        assert missing.status_code == 400


@needs_oidc
def test_oidc_authorization_without_pkce_is_refused() -> None:
    with running_oidc_provider([CALLBACK]) as provider, httpx.Client(timeout=10) as http:
        response = http.get(
            provider.authorization_endpoint,
            params={
                "response_type": "code",
                "client_id": provider.client_id,
                "redirect_uri": CALLBACK,
                "scope": "openid",
                "state": "s",
                "nonce": "n",
            },
        )
        location = response.headers.get("location", "")
        assert response.is_redirect and location.startswith(CALLBACK)
        assert parse_qs(urlsplit(location).query)["error"] == ["invalid_request"]


@needs_oidc
def test_oidc_private_key_jwt_client_signed_with_authlib_gets_low_vot_for_low_login() -> None:
    with running_oidc_provider([CALLBACK]) as provider, httpx.Client(timeout=10) as http:
        request = provider.authorization_request(client_id=provider.pkjwt_client_id)
        callback = complete_login(http, request.url, login="low-bob-born-2009-02-03")
        code = parse_qs(urlsplit(callback).query)["code"][0]
        now = int(time.time())
        assertion = JsonWebToken(["RS256"]).encode(
            {"alg": "RS256", "kid": provider.pkjwt_private_jwk["kid"]},
            {
                "iss": provider.pkjwt_client_id,
                "sub": provider.pkjwt_client_id,
                "aud": provider.token_endpoint,
                "jti": uuid.uuid4().hex,
                "iat": now,
                "exp": now + 120,
            },
            provider.pkjwt_private_jwk,
        )
        response = http.post(
            provider.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": CALLBACK,
                "code_verifier": request.code_verifier,
                "client_id": provider.pkjwt_client_id,
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": assertion.decode("ascii"),
            },
        )
        assert response.status_code == 200, response.text
        claims = _unverified_claims(response.json()["id_token"])
        assert claims["aud"] == provider.pkjwt_client_id
        assert claims["nonce"] == request.nonce
        assert claims["vot"] == "Cl"
        assert claims["email"] == "low-bob-born-2009-02-03@example.test"
        assert claims["birthdate"] == "2009-02-03"
        verified = provider.decode_id_token(http, response.json()["id_token"])
        assert verified == claims


@needs_oidc
def test_oidc_private_key_jwt_client_is_refused_with_a_foreign_key() -> None:
    from tests.support.oidc import generate_private_jwk

    with running_oidc_provider([CALLBACK]) as provider, httpx.Client(timeout=10) as http:
        request = provider.authorization_request(client_id=provider.pkjwt_client_id)
        callback = complete_login(http, request.url)
        provider.pkjwt_private_jwk = generate_private_jwk()
        with pytest.raises(AssertionError, match="401"):
            provider.exchange_code(http, callback, request, private_key_jwt=True)
