"""GOV.UK One Login's core identity JWT, checked at unit level with JWTs built here (joserfc):
what is accepted, what is refused and why, and the settings that switch it on."""

import json
from datetime import timedelta
from typing import Any

import pytest
from joserfc import jwk, jwt
from pydantic import ValidationError

from app.identity import onelogin
from app.identity.onelogin import CoreIdentityConfig, CoreIdentityError, verify_core_identity
from app.settings import Settings
from kernel.clock import utcnow
from tests.support.oidc import generate_ec_private_jwk, generate_private_jwk

ISSUER = "https://identity.integration.account.gov.uk/"
CLIENT = "reclaim-client"
SUBJECT = "urn:fdc:gov.uk:2022:abc"
NOW = utcnow()


def _public(private_jwk: dict[str, Any]) -> dict[str, Any]:
    return dict(jwk.import_key(private_jwk).as_dict(private=False))


SIGNER = generate_ec_private_jwk()
CONFIG = CoreIdentityConfig(
    issuer=ISSUER, keys=onelogin.load_public_keys(json.dumps(_public(SIGNER)))
)

NAMES = [
    {
        "validUntil": "2019-12-31",
        "nameParts": [
            {"type": "GivenName", "value": "Alice"},
            {"type": "FamilyName", "value": "O'Donnell"},
        ],
    },
    {
        "validFrom": "2020-01-01",
        "nameParts": [
            {"type": "GivenName", "value": "Alice"},
            {"type": "FamilyName", "value": "Doe"},
            {"type": "GivenName", "value": "Jane"},
        ],
    },
]


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(NOW.timestamp())
    claims = {
        "iss": ISSUER,
        "sub": SUBJECT,
        "aud": CLIENT,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "vot": "P2",
        "vtm": "https://oidc.integration.account.gov.uk/trustmark",
        "vc": {
            "type": ["VerifiableCredential", "IdentityCheckCredential"],
            "credentialSubject": {"name": NAMES, "birthDate": [{"value": "1970-01-01"}]},
        },
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def _token(
    claims: dict[str, Any] | None = None,
    *,
    key: dict[str, Any] = SIGNER,
    header: dict[str, Any] | None = None,
) -> str:
    head = {"alg": "ES256", "typ": "JWT", "kid": key.get("kid"), **(header or {})}
    return jwt.encode(
        {k: v for k, v in head.items() if v is not None},
        _claims() if claims is None else claims,
        jwk.import_key(key),
    )


def _verify(
    token: Any,
    *,
    config: CoreIdentityConfig = CONFIG,
    subject: str = SUBJECT,
    minimum_vot: str | None = "Cl.Cm.P2",
    now=NOW,
) -> onelogin.CoreIdentity:
    return verify_core_identity(
        config,
        token,
        subject=subject,
        client_id=CLIENT,
        minimum_vot=minimum_vot,
        provider_name="GOV.UK One Login",
        now=now,
    )


def test_valid_jwt_gives_the_current_name_given_names_first_and_the_birth_date() -> None:
    verified = _verify(_token())
    assert verified.name == "Alice Jane Doe"
    assert verified.birthdate == "1970-01-01"


def test_without_a_current_name_the_first_is_used() -> None:
    subject = {
        "name": [NAMES[0], {**NAMES[1], "validUntil": "2024-01-01"}],
        "birthDate": [{"value": "1970-01-01"}],
    }
    vc = {"type": ["VerifiableCredential", "IdentityCheckCredential"], "credentialSubject": subject}
    assert _verify(_token(_claims(vc=vc))).name == "Alice O'Donnell"


def test_jwt_signed_by_another_key_with_the_same_kid_is_refused() -> None:
    other = {**generate_ec_private_jwk(), "kid": SIGNER["kid"]}
    with pytest.raises(CoreIdentityError, match="not validly signed"):
        _verify(_token(key=other))


def test_jwt_whose_kid_names_no_configured_key_is_refused() -> None:
    with pytest.raises(CoreIdentityError, match="not validly signed"):
        _verify(_token(header={"kid": "did:web:identity.example#another"}))


def test_configured_key_without_kid_is_tried_for_any_kid() -> None:
    bare = {k: v for k, v in _public(SIGNER).items() if k != "kid"}
    config = CoreIdentityConfig(issuer=ISSUER, keys=onelogin.load_public_keys(json.dumps(bare)))
    token = _token(header={"kid": "did:web:identity.integration.account.gov.uk#abc"})
    assert _verify(token, config=config).name == "Alice Jane Doe"


def test_any_algorithm_but_es256_is_refused() -> None:
    rsa = generate_private_jwk()
    with pytest.raises(CoreIdentityError, match="not validly signed"):
        _verify(_token(key=rsa, header={"alg": "RS256", "kid": SIGNER["kid"]}))
    hmac_key = jwk.OctKey.generate_key(256)
    forged = jwt.encode({"alg": "HS256"}, _claims(), hmac_key)
    with pytest.raises(CoreIdentityError, match="not validly signed"):
        _verify(forged)


def test_garbage_is_refused_as_unsigned() -> None:
    with pytest.raises(CoreIdentityError, match="not validly signed"):
        _verify("not.a.jwt")


def test_jwt_for_another_subject_is_refused() -> None:
    with pytest.raises(CoreIdentityError, match="not that of the person who signed in"):
        _verify(_token(_claims(sub="urn:fdc:gov.uk:2022:someone-else")))
    with pytest.raises(CoreIdentityError, match="not that of the person who signed in"):
        _verify(_token(_claims(sub=None)))


def test_jwt_for_another_audience_is_refused() -> None:
    with pytest.raises(CoreIdentityError, match="issued for another service"):
        _verify(_token(_claims(aud="another-client")))
    with pytest.raises(CoreIdentityError, match="issued for another service"):
        _verify(_token(_claims(aud=None)))


def test_jwt_from_another_issuer_is_refused() -> None:
    with pytest.raises(CoreIdentityError, match="another issuer"):
        _verify(_token(_claims(iss="https://identity.account.gov.uk/")))


def test_expired_jwt_is_refused_beyond_the_leeway() -> None:
    past = int((NOW - timedelta(seconds=30)).timestamp())
    assert _verify(_token(_claims(exp=past))).name  # within the 60-second leeway
    expired = int((NOW - timedelta(minutes=5)).timestamp())
    with pytest.raises(CoreIdentityError, match="expired"):
        _verify(_token(_claims(exp=expired)))
    with pytest.raises(CoreIdentityError, match="expired"):
        _verify(_token(_claims(exp=None)))


def test_jwt_not_yet_valid_is_refused() -> None:
    later = int((NOW + timedelta(minutes=5)).timestamp())
    with pytest.raises(CoreIdentityError, match="not yet valid"):
        _verify(_token(_claims(nbf=later)))


def test_vot_below_the_identity_level_asked_for_is_refused() -> None:
    with pytest.raises(CoreIdentityError, match="to the level this site needs"):
        _verify(_token(_claims(vot="P1")), minimum_vot="Cl.Cm.P2")
    assert _verify(_token(_claims(vot="P1")), minimum_vot="Cl.Cm.P1").name
    with pytest.raises(CoreIdentityError, match="to the level this site needs"):
        _verify(_token(_claims(vot="Cl")), minimum_vot=None)  # no identity level at all


def test_missing_jwt_is_refused() -> None:
    for missing in (None, "", 42):
        with pytest.raises(CoreIdentityError, match="did not send your verified identity"):
            _verify(missing)


def test_credential_of_another_type_or_without_name_or_birth_date_is_refused() -> None:
    subject = {"name": NAMES, "birthDate": [{"value": "1970-01-01"}]}
    with pytest.raises(CoreIdentityError, match="not an identity check credential"):
        _verify(
            _token(
                _claims(
                    vc={
                        "type": ["VerifiableCredential", "AddressCredential"],
                        "credentialSubject": subject,
                    }
                )
            )
        )
    kinds = ["VerifiableCredential", "IdentityCheckCredential"]
    for broken in (
        {"name": NAMES},
        {"birthDate": [{"value": "1970-01-01"}]},
        {"name": NAMES, "birthDate": [{"value": "1 January 1970"}]},
        {"name": [{"nameParts": []}], "birthDate": [{"value": "1970-01-01"}]},
    ):
        with pytest.raises(CoreIdentityError, match="no name or no birth date"):
            _verify(_token(_claims(vc={"type": kinds, "credentialSubject": broken})))


def test_keys_are_read_from_a_jwk_or_a_jwk_set_public_part_only() -> None:
    single = onelogin.load_public_keys(json.dumps(_public(SIGNER)))
    assert [key.kid for key in single] == [SIGNER["kid"]]
    second = generate_ec_private_jwk()
    both = onelogin.load_public_keys(json.dumps({"keys": [_public(SIGNER), second]}))
    assert len(both) == 2 and not both[1].is_private
    for bad in (
        "not json",
        "[]",
        json.dumps({"keys": []}),
        json.dumps(_public(generate_private_jwk())),
        json.dumps({"kty": "EC", "crv": "P-256", "x": "AA"}),
    ):
        with pytest.raises(ValueError):  # noqa: PT011 - each has its own message
            onelogin.load_public_keys(bad)


def test_claims_request_gains_the_core_identity_jwt() -> None:
    assert json.loads(onelogin.with_core_identity_claim(None)) == {
        "userinfo": {onelogin.CORE_IDENTITY_CLAIM: None}
    }
    merged = onelogin.with_core_identity_claim(
        json.dumps({"userinfo": {"birthdate": None}, "id_token": {"auth_time": None}})
    )
    assert json.loads(merged) == {
        "userinfo": {"birthdate": None, onelogin.CORE_IDENTITY_CLAIM: None},
        "id_token": {"auth_time": None},
    }
    with pytest.raises(ValueError):  # noqa: PT011
        onelogin.with_core_identity_claim('["not", "an object"]')


def test_settings_need_issuer_and_keys_together_and_readable_keys() -> None:
    keys = json.dumps(_public(SIGNER))
    with pytest.raises(ValidationError, match="together"):
        Settings(_env_file=None, oidc_core_identity_issuer=ISSUER)
    with pytest.raises(ValidationError, match="together"):
        Settings(_env_file=None, oidc_core_identity_keys=keys)
    with pytest.raises(ValidationError, match="EC P-256"):
        Settings(
            _env_file=None,
            oidc_core_identity_issuer=ISSUER,
            oidc_core_identity_keys=json.dumps(_public(generate_private_jwk())),
        )
    with pytest.raises(ValidationError, match="RECLAIM_OIDC_CLAIMS"):
        Settings(
            _env_file=None,
            oidc_core_identity_issuer=ISSUER,
            oidc_core_identity_keys=keys,
            oidc_claims="not json",
        )
    on = Settings(_env_file=None, oidc_core_identity_issuer=ISSUER, oidc_core_identity_keys=keys)
    assert on.oidc_core_identity_issuer == ISSUER


def test_identity_level_of_a_minimum_vector_of_trust() -> None:
    assert onelogin.identity_level("Cl.Cm.P2") == "P2"
    assert onelogin.identity_level("Cl.Cm") == "P1"
    assert onelogin.identity_level(None) == "P1"
    assert onelogin.vot_satisfies("P2", "P2") and not onelogin.vot_satisfies("P1", "P2")
    assert not onelogin.vot_satisfies("P2", "Cl.Cm.P2")  # why the JWT's check drops Cl.Cm
