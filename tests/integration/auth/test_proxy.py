"""Sign-in by an identity-aware proxy's signed header, keys from a JWKS on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.datastructures import Headers

from kit.auth.providers import SignInError
from kit.auth.proxy import IAP_HEADER, ProxyAuthenticator, ProxySettings
from kit.auth.tokens import ClaimMapping
from kit.services.staff_accounts import RoleGroups
from servers.idp import LocalIdP, SigningKey, ec_key, rsa_key

AUDIENCE = "/projects/1234/global/backendServices/5678"


@pytest.fixture(scope="module")
def iap_key() -> SigningKey:
    return ec_key("iap-1")


@pytest.fixture
def jwks_server(iap_key: SigningKey) -> Iterator[LocalIdP]:
    with LocalIdP(keys=[iap_key]) as server:
        yield server


def settings_for(server: LocalIdP, **changes: Any) -> ProxySettings:
    values: dict[str, Any] = {
        "issuer": "https://cloud.google.com/iap", "audience": AUDIENCE,
        "jwks_url": server.jwks_url, "allow_insecure_loopback": True, "timeout": 2,
        **changes}
    return ProxySettings(**values)


def assertion(key: SigningKey, **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": "https://cloud.google.com/iap", "aud": AUDIENCE, "iat": now,
              "exp": now + 600, "sub": "accounts.google.com:1029384756",
              "email": "jean-luc.tremblay@bank.example", "hd": "bank.example", **changes}
    return key.sign({name: value for name, value in claims.items() if value is not None})


def refusal(proxy: ProxyAuthenticator, headers: Any) -> str:
    with pytest.raises(SignInError) as caught:
        proxy.person_from_headers(headers)
    return caught.value.code


def test_iap_assertion_signs_the_person_in(jwks_server: LocalIdP, iap_key: SigningKey) -> None:
    proxy = ProxyAuthenticator(settings_for(jwks_server))
    person = proxy.person_from_headers(Headers({IAP_HEADER: assertion(iap_key)}))
    assert person.directory_id == "accounts.google.com:1029384756"
    assert person.email == "jean-luc.tremblay@bank.example"
    assert person.display_name == "jean-luc.tremblay@bank.example"  # IAP sends no name
    assert RoleGroups.from_mapping({"admin": ["kit-admins"]}).roles_of(person.groups) == {
        "staff"}


def test_configured_header_with_bearer_prefix_and_claim_mapping(jwks_server: LocalIdP) -> None:
    key = rsa_key("oauth2-proxy-1")
    jwks_server.rotate(key)
    proxy = ProxyAuthenticator(settings_for(
        jwks_server, header="X-Auth-Request-Jwt", issuer="https://sso.bank.example",
        audience="intranet", claims=ClaimMapping(directory_id="preferred_username")))
    token = assertion(key, iss="https://sso.bank.example", aud="intranet",
                      preferred_username="jtremblay", name="Jean-Luc Tremblay",
                      groups=["kit-admins"])
    # A plain dict with other capitalisation, as a WSGI middleware might pass it.
    person = proxy.person_from_headers({"x-auth-request-jwt": f"Bearer {token}"})
    assert (person.directory_id, person.display_name) == ("jtremblay", "Jean-Luc Tremblay")
    admins = RoleGroups.from_mapping({"admin": ["kit-admins"]})
    assert admins.roles_of(person.groups) == {"staff", "admin"}


def test_request_without_the_header_is_refused(jwks_server: LocalIdP, iap_key: SigningKey) -> None:
    proxy = ProxyAuthenticator(settings_for(jwks_server))
    assert refusal(proxy, Headers()) == "missing_assertion"
    assert refusal(proxy, Headers({"X-Auth-Request-Jwt": assertion(iap_key)})) == (
        "missing_assertion")
    assert jwks_server.hits["/jwks"] == 0


@pytest.mark.parametrize(("changes", "code"), [
    ({"aud": "/projects/1234/global/backendServices/9999"}, "wrong_audience"),
    ({"aud": None}, "missing_claim"),
    ({"iss": "https://cloud.google.com/iap.evil"}, "wrong_issuer"),
    ({"exp": int(time.time()) - 3600}, "expired"),
])
def test_assertions_that_do_not_fit_are_refused(jwks_server: LocalIdP, iap_key: SigningKey,
                                                changes: dict, code: str) -> None:
    proxy = ProxyAuthenticator(settings_for(jwks_server))
    assert refusal(proxy, Headers({IAP_HEADER: assertion(iap_key, **changes)})) == code


def test_header_forged_by_someone_reaching_the_app_directly_is_refused(
        jwks_server: LocalIdP) -> None:
    proxy = ProxyAuthenticator(settings_for(jwks_server))
    forged = assertion(ec_key("iap-1"))  # right kid, wrong key
    assert refusal(proxy, Headers({IAP_HEADER: forged})) == "bad_signature"
    unsigned = forged.rsplit(".", 1)[0] + "."
    assert refusal(proxy, Headers({IAP_HEADER: unsigned})) == "bad_signature"
