"""Verification of signed JWTs: every refusal of issue 3 with its stable code, and good tokens.

Keys are real RSA and EC keys generated for the run; the key set is pinned (StaticJwks), the
HTTP side of key fetching is tested in tests/integration/auth/test_jwks.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key
from jwt import InsecureKeyLengthWarning

from kit.auth.jwks import StaticJwks
from kit.auth.providers import SignInError
from kit.auth.tokens import ClaimMapping, TokenSettings, verify_id_token, verify_jwt
from servers.idp import SigningKey, ec_key, jwks_of, rsa_key

ISSUER = "https://idp.example"
CLIENT = "mentoring-kit"
SETTINGS = TokenSettings(issuer=ISSUER, audience=CLIENT)


@pytest.fixture(scope="module")
def rsa() -> SigningKey:
    return rsa_key("rsa-1")


@pytest.fixture(scope="module")
def ec() -> SigningKey:
    return ec_key("ec-1")


@pytest.fixture(scope="module")
def ps() -> SigningKey:
    return rsa_key("ps-1", alg="PS256")


@pytest.fixture(scope="module")
def keys(rsa: SigningKey, ec: SigningKey, ps: SigningKey) -> StaticJwks:
    return StaticJwks(jwks_of(rsa, ec, ps))


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": CLIENT, "sub": "u-1", "iat": now, "exp": now + 300,
            "email": "amara@cityhall.example"}
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


def b64(data: bytes | dict[str, Any]) -> str:
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def refusal(token: str, keys: Any, settings: TokenSettings = SETTINGS, **kwargs: Any) -> str:
    with pytest.raises(SignInError) as caught:
        verify_jwt(token, settings, keys, **kwargs)
    return caught.value.code


@pytest.mark.parametrize("key_name", ["rsa", "ec", "ps"])
def test_tokens_signed_with_rsa_ec_and_pss_keys_are_accepted(
        key_name: str, keys: StaticJwks, request: pytest.FixtureRequest) -> None:
    key: SigningKey = request.getfixturevalue(key_name)
    verified = verify_id_token(key.sign(claims(nonce="n-1")), SETTINGS, keys, nonce="n-1")
    assert verified["sub"] == "u-1"
    assert verified["email"] == "amara@cityhall.example"


def test_alg_none_is_refused(keys: StaticJwks) -> None:
    token = f"{b64({'alg': 'none', 'kid': 'rsa-1'})}.{b64(claims())}."
    assert refusal(token, keys) == "algorithm_not_allowed"


def test_hs256_signed_with_the_rsa_public_key_is_refused(rsa: SigningKey,
                                                         keys: StaticJwks) -> None:
    # The classic key-confusion attack: the public key, known to all, used as an HMAC secret.
    public_pem = rsa.public_key.public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = f"{b64({'alg': 'HS256', 'kid': 'rsa-1', 'typ': 'JWT'})}.{b64(claims())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    assert refusal(f"{signing_input}.{b64(mac)}", keys) == "algorithm_not_allowed"


@pytest.mark.parametrize("algorithms", [("HS256",), ("RS256", "none"), ()])
def test_settings_refuse_symmetric_and_none_algorithms(algorithms: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="never 'none' or HS"):
        TokenSettings(ISSUER, CLIENT, algorithms=algorithms)


def test_ec_algorithm_on_an_rsa_key_is_refused(ec: SigningKey, keys: StaticJwks) -> None:
    token = ec.sign(claims(), headers={"kid": "rsa-1"})
    assert refusal(token, keys) == "key_type_mismatch"


def test_rsa_algorithm_on_an_ec_key_is_refused(rsa: SigningKey, keys: StaticJwks) -> None:
    token = rsa.sign(claims(), headers={"kid": "ec-1"})
    assert refusal(token, keys) == "key_type_mismatch"


def test_algorithm_other_than_the_one_the_key_declares_is_refused(ps: SigningKey,
                                                                   keys: StaticJwks) -> None:
    # rsa-1 is published with alg RS256; a PS256 signature must not be tried against it.
    token = ps.sign(claims(), headers={"kid": "rsa-1"})
    assert refusal(token, keys) == "key_type_mismatch"


def test_expired_token_is_refused_beyond_the_leeway(rsa: SigningKey, keys: StaticJwks) -> None:
    now = int(time.time())
    assert refusal(rsa.sign(claims(iat=now - 600, exp=now - 120)), keys) == "expired"
    # Within the 60 s leeway a clock a little behind the IdP's is forgiven.
    assert verify_jwt(rsa.sign(claims(iat=now - 600, exp=now - 30)), SETTINGS, keys)


@pytest.mark.parametrize("claim", ["nbf", "iat"])
def test_token_not_yet_valid_is_refused(claim: str, rsa: SigningKey, keys: StaticJwks) -> None:
    token = rsa.sign(claims(**{claim: int(time.time()) + 300}))
    assert refusal(token, keys) == "not_yet_valid"


@pytest.mark.parametrize("claim", ["exp", "iat", "iss", "sub"])
def test_token_without_a_required_claim_is_refused(claim: str, rsa: SigningKey,
                                                   keys: StaticJwks) -> None:
    with pytest.raises(SignInError) as caught:
        verify_id_token(rsa.sign(claims(**{claim: None})), SETTINGS, keys)
    assert (caught.value.code, caught.value.detail) == ("missing_claim", claim)


def test_required_claims_are_configurable(rsa: SigningKey, keys: StaticJwks) -> None:
    settings = TokenSettings(ISSUER, CLIENT, required_claims=("sub", "email_verified"))
    with pytest.raises(SignInError) as caught:
        verify_jwt(rsa.sign(claims()), settings, keys)
    assert caught.value.detail == "email_verified"
    assert verify_jwt(rsa.sign(claims(email_verified=True)), settings, keys)["email_verified"]


@pytest.mark.parametrize("issuer", ["https://evil.example", "https://idp.example.evil",
                                    "https://idp.example/", "https://IDP.example"])
def test_issuer_must_match_exactly(issuer: str, rsa: SigningKey, keys: StaticJwks) -> None:
    assert refusal(rsa.sign(claims(iss=issuer)), keys) == "wrong_issuer"


@pytest.mark.parametrize("audience", ["other-app", ["other-app"], "mentoring-kit-2"])
def test_token_for_another_audience_is_refused(audience: Any, rsa: SigningKey,
                                               keys: StaticJwks) -> None:
    assert refusal(rsa.sign(claims(aud=audience)), keys) == "wrong_audience"


def test_token_without_audience_is_refused(rsa: SigningKey, keys: StaticJwks) -> None:
    with pytest.raises(SignInError) as caught:
        verify_jwt(rsa.sign(claims(aud=None)), SETTINGS, keys)
    assert (caught.value.code, caught.value.detail) == ("missing_claim", "aud")


def test_several_audiences_need_azp_naming_the_client(rsa: SigningKey, keys: StaticJwks) -> None:
    audiences = [CLIENT, "reporting-api"]
    assert refusal(rsa.sign(claims(aud=audiences)), keys) == "missing_claim"
    assert refusal(rsa.sign(claims(aud=audiences, azp="reporting-api")), keys) == "wrong_azp"
    assert verify_jwt(rsa.sign(claims(aud=audiences, azp=CLIENT)), SETTINGS, keys)["azp"] == CLIENT


def test_unknown_kid_is_refused(rsa: SigningKey, keys: StaticJwks) -> None:
    assert refusal(rsa.sign(claims(), headers={"kid": "no-such-key"}), keys) == "unknown_key"


def test_token_signed_by_another_key_with_a_known_kid_is_refused(keys: StaticJwks) -> None:
    impostor = rsa_key("rsa-1")
    assert refusal(impostor.sign(claims()), keys) == "bad_signature"


def test_rsa_key_shorter_than_2048_bits_is_refused() -> None:
    weak = SigningKey("weak-1", "RS256", generate_private_key(65537, 1024))  # noqa: S505
    with pytest.warns(InsecureKeyLengthWarning):  # PyJWT warns when signing with it
        token = weak.sign(claims())
    assert refusal(token, StaticJwks(jwks_of(weak))) == "unusable_key"


def test_tampered_payload_is_refused(rsa: SigningKey, keys: StaticJwks) -> None:
    header, _, signature = rsa.sign(claims()).split(".")
    forged = b64(claims(sub="u-admin", groups=["kit-admins"]))
    assert refusal(f"{header}.{forged}.{signature}", keys) == "bad_signature"


def test_unknown_critical_header_is_refused(rsa: SigningKey, keys: StaticJwks) -> None:
    token = rsa.sign(claims(), headers={"crit": ["exp-policy"], "exp-policy": "strict"})
    assert refusal(token, keys) == "unsupported_crit"


def test_oversized_token_is_refused_before_looking_up_a_key(rsa: SigningKey) -> None:
    class NoKeys:
        def signing_key(self, kid: str | None) -> dict[str, Any]:
            raise AssertionError("an oversized token must not reach key lookup")

    token = rsa.sign(claims(padding="x" * 20_000))
    assert refusal(token, NoKeys()) == "token_too_large"


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "ü.ü.ü", b"\xff\xfe.x.y"])
def test_malformed_tokens_are_refused(token: Any, keys: StaticJwks) -> None:
    assert refusal(token, keys) == "malformed_token"


def test_nonce_must_match_when_given(rsa: SigningKey, keys: StaticJwks) -> None:
    assert refusal(rsa.sign(claims(nonce="other")), keys, nonce="mine") == "nonce_mismatch"
    assert refusal(rsa.sign(claims()), keys, nonce="mine") == "nonce_mismatch"
    assert verify_jwt(rsa.sign(claims(nonce="mine")), SETTINGS, keys, nonce="mine")


def test_claims_map_to_a_directory_person() -> None:
    mapping = ClaimMapping(directory_id="preferred_username", department="department",
                           title="job_title", employee_number="employee_id",
                           groups="realm_access.roles")
    person = mapping.person({
        "sub": "f81d4fae", "preferred_username": "aokafor", "email": "amara@cityhall.example",
        "name": "Amara Okafor", "department": "Génie civil (Ouest)", "job_title": "Engineer",
        "employee_id": 10442, "locale": "fr", "realm_access": {"roles": ["mentors", "hr"]},
    })
    assert person.directory_id == "aokafor"
    assert person.display_name == "Amara Okafor"
    assert person.department == "Génie civil (Ouest)"
    assert person.employee_number == "10442"
    assert person.preferred_locale == "fr"
    assert person.groups == frozenset({"mentors", "hr"})


def test_person_without_email_is_refused_and_name_falls_back_to_email() -> None:
    with pytest.raises(SignInError) as caught:
        ClaimMapping().person({"sub": "u-1", "name": "No Mail"})
    assert (caught.value.code, caught.value.detail) == ("missing_claim", "email")
    person = ClaimMapping().person({"sub": "u-1", "email": "a@b.example", "groups": "x y"})
    assert person.display_name == "a@b.example"
    assert person.groups == frozenset({"x", "y"})
