"""GOV.UK One Login's core identity JWT through the real sign-in: the test provider (npm
oidc-provider) signs it ES256 in userinfo; Reclaim keeps the verified name and birth date in the
vault and shows them nowhere, and refuses a sign-in whose JWT does not hold."""

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import Session, select

from app.accounts.models import Role, User
from app.identity.oidc import OidcConfig
from app.identity.onelogin import CORE_IDENTITY_CLAIM
from app.identity.vault import service as vault
from app.settings import Settings
from kernel.clock import utcnow
from moderation import reporting
from tests.factories import make_post, make_user, sign_in
from tests.support.oidc import complete_login, generate_ec_private_jwk, running_oidc_provider

CALLBACK = "http://testserver/auth/oidc/callback"


@pytest.fixture(scope="module")
def provider():
    with running_oidc_provider([CALLBACK], core_identity=True) as running:
        yield running


@pytest.fixture
def settings(database_url: str, provider) -> Settings:
    # As for One Login: no profile scope, so a name or birth date can only come from the JWT.
    return Settings(
        environment="test",
        database_url=database_url,
        base_url="http://testserver",
        smtp_host=None,
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        oidc_client_secret=provider.client_secret,
        oidc_provider_name="Test ID",
        oidc_scopes="openid email",
        oidc_vtr='["Cl.Cm.P2"]',
        oidc_min_vot="Cl.Cm.P2",
        oidc_core_identity_issuer=provider.core_identity_issuer,
        oidc_core_identity_keys=json.dumps(provider.core_identity_public_jwk),
    )


def _login(client, login: str, *, start: str = "/auth/oidc/start?next=/account"):
    started = client.get(start)
    assert started.status_code == 303, started.text
    with httpx.Client() as http:
        callback = complete_login(http, started.headers["location"], login=login)
    assert callback.startswith(CALLBACK), callback
    return client.get(callback.removeprefix("http://testserver"))


def _user(session: Session, provider, subject: str) -> User | None:
    user_id = vault.find_user_id_by_subject(session, issuer=provider.issuer, subject=subject)
    return session.get(User, user_id) if user_id else None


def _configure(app, **changes) -> None:
    app.state.settings = app.state.settings.model_copy(update=changes)
    app.state.oidc = OidcConfig.from_settings(app.state.settings)


def test_authorization_request_asks_for_the_core_identity_jwt_in_userinfo(client) -> None:
    started = client.get("/auth/oidc/start")
    query = parse_qs(urlsplit(started.headers["location"]).query)
    assert json.loads(query["claims"][0]) == {"userinfo": {CORE_IDENTITY_CLAIM: None}}


def test_login_stores_the_verified_name_and_birth_date_and_shows_them_nowhere(
    client, outbox, provider, session
) -> None:
    done = _login(client, "ada")
    assert done.status_code == 303, done.text
    user = _user(session, provider, "ada")
    assert user is not None and user.verification_level == "identity"
    identity = vault.identity_of(session, user.id)
    assert identity.name == "Ada Tester"  # the current name, not the older "Ada Formerly"
    assert identity.birthdate == "1990-01-01"
    assert identity.email == "ada@example.test"
    account = client.get("/account")
    assert account.status_code == 200 and "Identity verified" in account.text
    assert "Ada Tester" not in account.text and "1990-01-01" not in account.text

    post = make_post(session, author=user)
    reporter = make_user(session)
    report = reporting.report_post(
        session,
        post_id=post.id,
        reporter_id=reporter.id,
        reason="threat",
        about_me=True,
        note=None,
        now=utcnow(),
    )
    client.cookies.clear()
    make_user(session, roles={Role.moderator}, email="mod-ci@example.test", pseudonym="ModCi")
    sign_in(client, outbox, "mod-ci@example.test")
    for path in ("/moderation", f"/moderation/cases/{report.case_id}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert user.pseudonym in page.text or path == "/moderation"
        for secret in ("Ada Tester", "Ada Formerly", "1990-01-01", "ada@example.test"):
            assert secret not in page.text, (path, secret)


def test_jwt_signed_by_a_key_other_than_the_configured_one_is_refused(
    app, client, provider, session
) -> None:
    other = generate_ec_private_jwk()
    wrong = {k: v for k, v in other.items() if k != "d"} | {
        "kid": provider.core_identity_public_jwk["kid"]
    }
    _configure(app, oidc_core_identity_keys=json.dumps(wrong))
    refused = _login(client, "forged")
    assert refused.status_code == 400, refused.text
    assert "is not validly signed" in refused.text
    assert _user(session, provider, "forged") is None


def test_jwt_from_another_issuer_is_refused(app, client, provider, session) -> None:
    _configure(app, oidc_core_identity_issuer="https://identity.account.gov.uk/")
    refused = _login(client, "elsewhere")
    assert refused.status_code == 400 and "comes from another issuer" in refused.text
    assert _user(session, provider, "elsewhere") is None


def test_missing_jwt_is_refused(client, provider, session) -> None:
    refused = _login(client, "no-identity-nina")
    assert refused.status_code == 400
    assert "did not send your verified identity" in refused.text
    assert _user(session, provider, "no-identity-nina") is None


def test_jwt_below_the_identity_level_is_refused(app, client, provider, session) -> None:
    _configure(app, oidc_min_vot=None, oidc_vtr=None)  # the ID token's Cl is then accepted
    refused = _login(client, "low-lena")
    assert refused.status_code == 400
    assert "did not verify your identity to the level" in refused.text
    assert _user(session, provider, "low-lena") is None


def test_refused_verification_leaves_the_signed_in_account_unchanged(
    app, client, outbox, provider, session
) -> None:
    sign_in(client, outbox, "gus@example.test", pseudonym="GusByMail")
    user = session.exec(select(User).where(User.pseudonym == "GusByMail")).one()
    before = vault.identity_of(session, user.id)
    wrong = {k: v for k, v in generate_ec_private_jwk().items() if k != "d"}
    _configure(app, oidc_core_identity_keys=json.dumps(wrong))
    refused = _login(client, "gus", start="/auth/oidc/start?next=%2Faccount&link=1")
    assert refused.status_code == 400 and "is not validly signed" in refused.text
    session.refresh(user)
    assert user.verification_level == "email"
    after = vault.identity_of(session, user.id)
    assert after.name is None and after.subject is None and after == before
    _configure(app, oidc_core_identity_keys=json.dumps(provider.core_identity_public_jwk))
    done = _login(client, "gus", start="/auth/oidc/start?next=%2Faccount&link=1")
    assert done.status_code == 303, done.text  # the same person, with the right key: verified
    assert vault.identity_of(session, user.id).name == "Gus Tester"
