"""Identity verification against a real OpenID Connect provider (npm oidc-provider 9.x on
127.0.0.1): the full login posted through its login and consent pages, then the refusals."""

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import update
from sqlmodel import Session, select

from app.accounts.models import User, UserSession
from app.identity import oidc
from app.identity.models import OidcLogin
from app.identity.oidc import OidcConfig
from app.identity.vault import service as vault
from app.settings import Settings
from kernel.clock import utcnow
from tests.factories import csrf_token, make_consultation, make_user, sign_in
from tests.support.oidc import complete_login, running_oidc_provider

CALLBACK = "http://testserver/auth/oidc/callback"


@pytest.fixture(scope="module")
def provider():
    with running_oidc_provider([CALLBACK]) as running:
        yield running


@pytest.fixture
def settings(database_url: str, provider) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        base_url="http://testserver",
        smtp_host=None,
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        oidc_client_secret=provider.client_secret,
        oidc_provider_name="Test ID",
        oidc_vtr='["Cl.Cm.P2"]',
        oidc_min_vot="Cl.Cm.P2",
        oidc_claims=json.dumps({"userinfo": {"birthdate": None}}),
    )


def _use_pkjwt(app, provider) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={
            "oidc_client_id": provider.pkjwt_client_id,
            "oidc_client_auth": "private_key_jwt",
            "oidc_client_secret": None,
            "oidc_private_key": SecretStr(json.dumps(provider.pkjwt_private_jwk)),
        }
    )
    app.state.oidc = OidcConfig.from_settings(app.state.settings)


def _login(
    client, login: str = "alice", *, start: str = "/auth/oidc/start?next=/account", tamper=None
):
    started = client.get(start)
    assert started.status_code == 303, started.text
    with httpx.Client() as http:
        callback = complete_login(http, started.headers["location"], login=login)
    assert callback.startswith(CALLBACK), callback
    path = callback.removeprefix("http://testserver")
    if tamper:
        path = tamper(path)
    return client.get(path)


def _user_by_subject(session: Session, provider, subject: str) -> User | None:
    user_id = vault.find_user_id_by_subject(session, issuer=provider.issuer, subject=subject)
    return session.get(User, user_id) if user_id else None


def test_authorization_request_uses_pkce_state_nonce_vtr_and_claims(client, provider) -> None:
    started = client.get("/auth/oidc/start")
    query = parse_qs(urlsplit(started.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["state"] != query["nonce"]
    assert query["vtr"] == ['["Cl.Cm.P2"]']
    assert json.loads(query["claims"][0]) == {"userinfo": {"birthdate": None}}
    assert query["redirect_uri"] == [CALLBACK] and query["client_id"] == [provider.client_id]
    assert "reclaim_oidc" in started.headers["set-cookie"]


def test_full_login_creates_verified_account_vault_record_and_session(
    client, provider, session
) -> None:
    done = _login(client, "alice")
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/account"
    user = _user_by_subject(session, provider, "alice")
    assert user is not None and user.verification_level == "identity"
    identity = vault.identity_of(session, user.id)
    assert identity.name == "alice Tester" and identity.birthdate == "1990-01-01"
    assert identity.email == "alice@example.test" and identity.issuer == provider.issuer
    assert session.exec(select(UserSession).where(UserSession.user_id == user.id)).first()
    page = client.get("/account")
    assert page.status_code == 200 and "Identity verified" in page.text
    assert "alice@example.test" not in page.text and "alice Tester" not in page.text
    logins = session.exec(select(OidcLogin)).all()
    print([(x.id, x.user_id, x.created_at, x.used_at) for x in logins])
    assert logins[-1].used_at is not None


def test_signing_in_again_reaches_the_same_account(client, provider, session) -> None:
    _login(client, "returning")
    first = _user_by_subject(session, provider, "returning")
    client.cookies.clear()
    again = _login(client, "returning")
    assert again.status_code == 303
    assert session.exec(select(User).where(User.pseudonym == first.pseudonym)).one()
    assert len(session.exec(select(User)).all()) == 1


def test_provider_identity_with_the_address_of_an_account_reaches_that_account(
    client, provider, session
) -> None:
    existing = make_user(session, email="carol@example.test", pseudonym="CarolByMail")
    done = _login(client, "carol")
    assert done.status_code == 303
    assert _user_by_subject(session, provider, "carol").id == existing.id
    session.refresh(existing)
    assert existing.verification_level == "identity"


def test_forged_state_is_refused(client, provider, session) -> None:
    def forge(path: str) -> str:
        query = parse_qs(urlsplit(path).query)
        return f"/auth/oidc/callback?code={query['code'][0]}&state=forged-state-value"

    refused = _login(client, "mallory", tamper=forge)
    assert refused.status_code == 400
    assert "did not start in this browser" in refused.text
    assert _user_by_subject(session, provider, "mallory") is None


def test_callback_from_another_browser_is_refused(client, provider, session) -> None:
    started = client.get("/auth/oidc/start")
    with httpx.Client() as http:
        callback = complete_login(http, started.headers["location"], login="eve")
    client.cookies.delete("reclaim_oidc", path="/auth/oidc")
    refused = client.get(callback.removeprefix("http://testserver"))
    assert refused.status_code == 400
    assert _user_by_subject(session, provider, "eve") is None


def test_wrong_nonce_is_refused(client, provider, session) -> None:
    def change_nonce(path: str) -> str:
        session.execute(update(OidcLogin).values(nonce="not-the-nonce-that-was-sent"))
        return path

    refused = _login(client, "nonce-victim", tamper=change_nonce)
    assert refused.status_code == 400
    assert "does not belong to this sign-in" in refused.text
    assert _user_by_subject(session, provider, "nonce-victim") is None


def test_vot_below_the_level_asked_for_is_refused(client, provider, session) -> None:
    refused = _login(client, "low-level")
    assert refused.status_code == 400
    assert "did not verify your identity to the level" in refused.text
    assert _user_by_subject(session, provider, "low-level") is None


def test_id_token_for_another_audience_is_refused(provider, settings) -> None:
    with httpx.Client() as http:
        request = provider.authorization_request(client_id=provider.pkjwt_client_id)
        callback = complete_login(http, request.url, login="audience")
        tokens = provider.exchange_code(http, callback, request, private_key_jwt=True)
    config = oidc.OidcConfig.from_settings(settings)  # client reclaim-test
    metadata = oidc.discover(config)
    with pytest.raises(oidc.OidcError, match="issued for another service"):
        oidc.validate_id_token(
            config, metadata, tokens["id_token"], nonce=request.nonce, now=utcnow()
        )
    theirs = oidc.OidcConfig.from_settings(
        settings.model_copy(update={"oidc_client_id": provider.pkjwt_client_id})
    )
    claims = oidc.validate_id_token(
        theirs, metadata, tokens["id_token"], nonce=request.nonce, now=utcnow()
    )
    assert claims["sub"] == "audience"  # the same token is fine for its own audience


def test_private_key_jwt_client_completes_the_login(app, client, provider, session) -> None:
    _use_pkjwt(app, provider)
    started = client.get("/auth/oidc/start")
    assert parse_qs(urlsplit(started.headers["location"]).query)["client_id"] == [
        provider.pkjwt_client_id
    ]
    with httpx.Client() as http:
        callback = complete_login(http, started.headers["location"], login="pkjwt-user")
    done = client.get(callback.removeprefix("http://testserver"))
    assert done.status_code == 303, done.text
    assert _user_by_subject(session, provider, "pkjwt-user").verification_level == "identity"


def test_private_key_jwt_assertions_have_a_fresh_jti(provider) -> None:
    from joserfc import jwk, jwt

    key = jwk.import_key(provider.pkjwt_private_jwk)
    claims = [
        jwt.decode(
            oidc.client_assertion("c", provider.token_endpoint, provider.pkjwt_private_jwk), key
        ).claims
        for _ in range(2)
    ]
    assert claims[0]["jti"] != claims[1]["jti"]
    assert claims[0]["aud"] == provider.token_endpoint and claims[0]["iss"] == "c"
    assert claims[0]["exp"] - claims[0]["iat"] <= 300


def test_requests_to_the_provider_carry_a_user_agent(settings) -> None:
    config = oidc.OidcConfig.from_settings(settings)
    with oidc._http(config) as http:
        assert http.headers["User-Agent"].startswith("Reclaim/")


def test_signed_in_person_reaches_identity_level_from_the_account_page(
    client, outbox, provider, session
) -> None:
    c = make_consultation(session, required_level="identity")
    sign_in(client, outbox, "dora@example.test", pseudonym="DoraByMail")
    question = client.get(f"/consultations/{c.slug}/questions/1")
    assert "verified identity" in question.text
    account = client.get("/account")
    assert (
        "/auth/oidc/start?next=%2Faccount&amp;link=1" in account.text
        or "/auth/oidc/start?next=%2Faccount&link=1" in account.text
    )
    done = _login(client, "dora", start="/auth/oidc/start?next=%2Faccount&link=1")
    assert done.status_code == 303, done.text
    user = session.exec(select(User).where(User.pseudonym == "DoraByMail")).one()
    assert user.verification_level == "identity"
    assert vault.identity_of(session, user.id).email == "dora@example.test"
    path = f"/consultations/{c.slug}/questions/1"
    answered = client.post(
        f"{path}/answer",
        data={
            "csrf_token": csrf_token(client, path),
            "stance": "agree",
            "text": "Now I may answer.",
        },
    )
    assert answered.status_code == 303


def test_identity_linked_to_another_account_is_refused(client, outbox, provider, session) -> None:
    _login(client, "frank")
    client.cookies.clear()
    sign_in(client, outbox, "frank-second@example.test", pseudonym="FrankAgain")
    refused = _login(client, "frank", start="/auth/oidc/start?link=1")
    assert refused.status_code == 409
    assert "only one account" in refused.text


def test_callbacks_are_rate_limited(app, client, provider) -> None:
    app.state.settings = app.state.settings.model_copy(update={"rate_limit_oidc": "2/15 minutes"})
    app.state.oidc = OidcConfig.from_settings(app.state.settings)
    for _ in range(2):
        client.get("/auth/oidc/callback?state=x&code=y")
    limited = client.get("/auth/oidc/callback?state=x&code=y")
    assert limited.status_code == 429
    assert "Try again in" in limited.text


def test_start_is_not_found_when_no_provider_is_configured(app, client) -> None:
    app.state.settings = app.state.settings.model_copy(update={"oidc_issuer": None})
    app.state.oidc = OidcConfig.from_settings(app.state.settings)
    assert client.get("/auth/oidc/start").status_code == 404


def test_provider_without_core_identity_is_refused_once_it_is_required(
    app, client, provider, session
) -> None:
    from tests.support.oidc import generate_ec_private_jwk

    public = {k: v for k, v in generate_ec_private_jwk().items() if k != "d"}
    app.state.settings = app.state.settings.model_copy(
        update={
            "oidc_core_identity_issuer": "https://identity.integration.account.gov.uk/",
            "oidc_core_identity_keys": json.dumps(public),
        }
    )
    app.state.oidc = OidcConfig.from_settings(app.state.settings)
    refused = _login(client, "plain")
    assert refused.status_code == 400
    assert "did not send your verified identity" in refused.text
    assert _user_by_subject(session, provider, "plain") is None
