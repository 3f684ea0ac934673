"""The OIDC authorization-code flow against a local IdP on 127.0.0.1 (PKCE, state, nonce)."""

from __future__ import annotations

import dataclasses
import json
import secrets
from collections.abc import Iterator

import pytest

from kit.auth.oidc import OidcClient, OidcSettings, PendingLogin
from kit.auth.providers import ProviderUnavailable, SignInError
from kit.auth.tokens import ClaimMapping
from kit.services.staff_accounts import RoleGroups
from servers.idp import CLIENT_ID, CLIENT_SECRET, LocalIdP, SigningKey, ec_key, rsa_key

REDIRECT_URI = "http://127.0.0.1/mentoring/sign-in/sso/callback"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def rsa() -> SigningKey:
    return rsa_key("rsa-1")


@pytest.fixture
def idp(rsa: SigningKey) -> Iterator[LocalIdP]:
    with LocalIdP(keys=[rsa]) as provider:
        yield provider


def settings_for(idp: LocalIdP, **changes: object) -> OidcSettings:
    base = OidcSettings(
        issuer=idp.issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
        client_auth=idp.token_auth_method, timeout=2, allow_insecure_loopback=True,
        claims=ClaimMapping(department="department"))
    return dataclasses.replace(base, **changes)


ROLES = RoleGroups.from_mapping({"staff": ["mentors"], "coordinator": ["hr-mentoring"]})


@pytest.fixture
def client(idp: LocalIdP) -> OidcClient:
    return OidcClient(settings_for(idp))


def round_trip(client: OidcClient, idp: LocalIdP) -> tuple[dict[str, str], PendingLogin]:
    url, pending = client.begin(REDIRECT_URI, next_url="/mentoring/staff")
    return idp.authorize(url), pending


def refusal(client: OidcClient, params: dict[str, str], pending: PendingLogin) -> str:
    with pytest.raises(SignInError) as caught:
        client.complete(params, pending)
    return caught.value.code


def test_sign_in_with_an_rsa_signed_id_token(client: OidcClient, idp: LocalIdP) -> None:
    url, pending = client.begin(REDIRECT_URI)
    assert url.startswith(idp.issuer + "/authorize?")
    assert "code_challenge_method=S256" in url and pending.code_verifier not in url
    person = client.complete(idp.authorize(url), pending)
    assert person.directory_id == "u-1001"
    assert person.email == "amara.okafor@cityhall.example"
    assert person.display_name == "Amara Okafor"
    assert person.department == "Engineering"
    assert ROLES.roles_of(person.groups) == {"staff"}


def test_sign_in_with_an_ec_key_and_client_secret_post() -> None:
    with LocalIdP(keys=[ec_key()], token_auth_method="client_secret_post") as idp:
        idp.person = {**idp.person, "groups": ["mentors", "hr-mentoring"]}
        client = OidcClient(settings_for(idp))
        person = client.complete(*round_trip(client, idp))
        assert ROLES.roles_of(person.groups) == {"staff", "coordinator"}


def test_discovery_document_is_fetched_once(client: OidcClient, idp: LocalIdP) -> None:
    for _ in range(3):
        client.complete(*round_trip(client, idp))
    assert idp.hits["/.well-known/openid-configuration"] == 1
    assert idp.hits["/jwks"] == 1
    assert idp.hits["/token"] == 3


def test_pending_login_survives_the_session_as_json(client: OidcClient, idp: LocalIdP) -> None:
    params, pending = round_trip(client, idp)
    stored = json.loads(json.dumps(pending.to_dict()))
    assert client.complete(params, PendingLogin.from_dict(stored)).directory_id == "u-1001"
    assert PendingLogin.from_dict(stored).next_url == "/mentoring/staff"
    with pytest.raises(SignInError) as caught:
        PendingLogin.from_dict({"state": "x"})
    assert caught.value.code == "no_pending_login"


def test_replayed_state_is_refused(client: OidcClient, idp: LocalIdP) -> None:
    params, pending = round_trip(client, idp)
    client.complete(params, pending)
    assert refusal(client, params, pending) == "replayed_state"


def test_state_from_another_login_is_refused(client: OidcClient, idp: LocalIdP) -> None:
    params, _ = round_trip(client, idp)
    _, other_pending = round_trip(client, idp)
    assert refusal(client, params, other_pending) == "state_mismatch"
    assert refusal(client, {**params, "state": ""}, other_pending) == "state_mismatch"


def test_id_token_replayed_into_a_new_login_is_refused(client: OidcClient,
                                                       idp: LocalIdP) -> None:
    old_token = idp.id_token(nonce="nonce-of-an-earlier-login")
    idp.id_token_override = old_token
    assert refusal(client, *round_trip(client, idp)) == "nonce_mismatch"


def test_replayed_nonce_is_refused(client: OidcClient, idp: LocalIdP) -> None:
    params, pending = round_trip(client, idp)
    client.complete(params, pending)
    # A later login that carries the used nonce, answered with an id_token naming it: refused
    # even though its state is fresh.
    later_params, later = round_trip(client, idp)
    idp.id_token_override = idp.id_token(nonce=pending.nonce)
    reused = dataclasses.replace(later, nonce=pending.nonce)
    assert refusal(client, later_params, reused) == "replayed_nonce"


def test_login_left_open_too_long_is_refused(idp: LocalIdP) -> None:
    clock = Clock(1_800_000_000.0)
    client = OidcClient(settings_for(idp), clock=clock)
    params, pending = round_trip(client, idp)
    clock.now += 601
    assert refusal(client, params, pending) == "login_expired"


def test_idp_refusal_and_missing_code_are_refused(client: OidcClient, idp: LocalIdP) -> None:
    _, pending = round_trip(client, idp)
    assert refusal(client, {"state": pending.state, "error": "access_denied"},
                   pending) == "idp_refused"
    _, pending = round_trip(client, idp)
    assert refusal(client, {"state": pending.state}, pending) == "missing_code"


def test_wrong_client_secret_is_refused(idp: LocalIdP) -> None:
    client = OidcClient(settings_for(idp, client_secret="not-the-secret"))
    assert refusal(client, *round_trip(client, idp)) == "token_refused"


def test_code_verifier_is_checked_by_the_idp(client: OidcClient, idp: LocalIdP) -> None:
    params, pending = round_trip(client, idp)
    tampered = dataclasses.replace(pending, code_verifier=secrets.token_urlsafe(64))
    assert refusal(client, params, tampered) == "token_refused"


def test_id_token_for_another_client_is_refused(client: OidcClient, idp: LocalIdP) -> None:
    idp.extra_claims = {"aud": "another-app"}
    assert refusal(client, *round_trip(client, idp)) == "wrong_audience"


def test_key_rotation_at_the_idp_is_followed(idp: LocalIdP) -> None:
    clock = Clock(100.0)
    client = OidcClient(settings_for(idp), monotonic=clock)
    client.complete(*round_trip(client, idp))
    idp.rotate(ec_key("ec-2"), keep_old=False)
    clock.now += 61
    assert client.complete(*round_trip(client, idp)).directory_id == "u-1001"
    assert idp.hits["/jwks"] == 2


def test_idp_down_before_discovery_is_unavailable(idp: LocalIdP) -> None:
    client = OidcClient(settings_for(idp))
    idp.stop()
    with pytest.raises(ProviderUnavailable) as caught:
        client.begin(REDIRECT_URI)
    assert caught.value.code == "idp_unavailable"


def test_idp_down_at_the_token_endpoint_is_unavailable(client: OidcClient,
                                                       idp: LocalIdP) -> None:
    params, pending = round_trip(client, idp)
    idp.stop()
    with pytest.raises(ProviderUnavailable):
        client.complete(params, pending)
    idp.start()
    # The discovery document stays cached while the IdP is away.
    assert client.begin(REDIRECT_URI)[0].startswith(idp.issuer)


def test_discovery_naming_another_issuer_is_refused(idp: LocalIdP) -> None:
    client = OidcClient(settings_for(idp, issuer=idp.issuer + "/"))
    with pytest.raises(ProviderUnavailable) as caught:
        client.begin(REDIRECT_URI)
    assert caught.value.code == "idp_misconfigured"


@pytest.mark.parametrize("changes", [
    {"issuer": "http://idp.example"},
    {"algorithms": ("HS256",)},
    {"client_secret": None},
    {"scopes": ("email",)},
    {"client_auth": "private_key_jwt"},
])
def test_unsafe_settings_are_refused_at_start_up(idp: LocalIdP, changes: dict) -> None:
    with pytest.raises(ValueError):
        settings_for(idp, **changes)
