"""Staff sign in through OIDC (code flow against a local IdP) and an identity-aware proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import make_app
from flask import Flask
from sqlalchemy import select

from kit import get_state
from kit.models import Base, StaffMember
from servers.idp import CLIENT_ID, CLIENT_SECRET, LocalIdP, rsa_key


@pytest.fixture
def idp() -> Iterator[LocalIdP]:
    with LocalIdP(keys=[rsa_key("city-1")]) as provider:
        yield provider


def sso_app(db_url: str, idp: LocalIdP, **config: object) -> Flask:
    app = make_app(
        db_url,
        KIT_AUTH_PROVIDERS=[{
            "type": "oidc", "name": "city-sso",
            "title": {"en": "City single sign-on", "fr": "Authentification de la Ville"},
            "issuer": idp.issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "client_auth": idp.token_auth_method, "allow_insecure_loopback": True, "timeout": 2,
            "claims": {"department": "department"},
        }, {
            "type": "proxy", "name": "intranet-proxy", "title": "Intranet gateway",
            "issuer": idp.issuer, "audience": "mentoring", "jwks_url": idp.jwks_url,
            "header": "X-Auth-Request-Jwt", "allow_insecure_loopback": True, "timeout": 2,
        }],
        KIT_ROLE_GROUPS={"staff": ["mentors"], "coordinator": ["hr-mentoring"]},
        **config,
    )
    with app.app_context():
        Base.metadata.create_all(get_state().db.engine)
    return app


@pytest.fixture
def app(db_url: str, idp: LocalIdP) -> Iterator[Flask]:
    application = sso_app(db_url, idp)
    yield application
    with application.app_context():
        get_state().db.session.remove()
        get_state().db.engine.dispose()


def sign_in_through_idp(client, idp: LocalIdP, next_url: str = "/mentoring/staff/"):
    response = client.get("/mentoring/sign-in/sso/city-sso", query_string={"next": next_url})
    assert response.status_code == 302
    params = idp.authorize(response.headers["Location"])
    return client.get("/mentoring/sign-in/sso/city-sso/callback", query_string=params), params


def staff_in(app: Flask) -> list[StaffMember]:
    with app.app_context():
        return get_state().db.session.scalars(select(StaffMember)).all()


def test_the_sign_in_page_shows_the_sso_buttons_in_the_readers_language(client) -> None:
    html = client.get("/mentoring/sign-in", headers={"Accept-Language": "fr"}).get_data(
        as_text=True)
    assert "Authentification de la Ville" in html and "Intranet gateway" in html


def test_a_whole_code_flow_signs_the_employee_in(app, client, idp) -> None:
    response, _params = sign_in_through_idp(client, idp)
    assert response.status_code == 302
    assert response.headers["Location"] == "/mentoring/staff/"
    html = client.get("/mentoring/staff/").get_data(as_text=True)
    assert "Amara Okafor" in html
    [staff] = staff_in(app)
    assert (staff.directory_id, staff.department) == ("u-1001", "Engineering")


def test_groups_give_the_coordinator_role(app, client, idp) -> None:
    idp.person["groups"] = ["mentors", "hr-mentoring"]
    sign_in_through_idp(client, idp)
    assert client.get("/mentoring/coordinator/").status_code == 200


def test_someone_outside_the_mentors_group_is_told_why(app, client, idp) -> None:
    idp.person["groups"] = ["finance"]
    response, _params = sign_in_through_idp(client, idp)
    assert response.status_code == 403
    assert "not part of the mentoring program yet" in response.get_data(as_text=True)
    assert client.get("/mentoring/staff/").status_code == 302


def test_a_replayed_callback_is_refused(app, client, idp) -> None:
    _response, params = sign_in_through_idp(client, idp)
    other = app.test_client()
    response = other.get("/mentoring/sign-in/sso/city-sso/callback", query_string=params)
    assert response.status_code == 401
    assert "Single sign-on did not complete." in response.get_data(as_text=True)


def test_a_forged_state_is_refused(app, client, idp) -> None:
    response = client.get("/mentoring/sign-in/sso/city-sso")
    params = idp.authorize(response.headers["Location"])
    params["state"] = "forged"
    response = client.get("/mentoring/sign-in/sso/city-sso/callback", query_string=params)
    assert response.status_code == 401
    assert staff_in(app) == []


def test_an_id_token_for_another_client_is_refused(app, client, idp) -> None:
    idp.extra_claims = {"aud": "another-client"}
    response, _params = sign_in_through_idp(client, idp)
    assert response.status_code == 401
    assert staff_in(app) == []


def test_the_idp_down_gives_a_clear_503(app, client, idp) -> None:
    idp.stop()
    response = client.get("/mentoring/sign-in/sso/city-sso")
    assert response.status_code == 503
    assert "The single sign-on service is not answering." in response.get_data(as_text=True)


def test_the_next_url_never_leaves_the_site(app, client, idp) -> None:
    response, _params = sign_in_through_idp(client, idp, "https://evil.example/")
    assert response.headers["Location"] == "/mentoring/"


def test_the_proxy_assertion_signs_the_employee_in(app, client, idp) -> None:
    token = idp.id_token(aud="mentoring")
    response = client.get("/mentoring/sign-in/sso/intranet-proxy",
                          headers={"X-Auth-Request-Jwt": token})
    assert response.status_code == 302
    assert client.get("/mentoring/staff/").status_code == 200


def test_a_missing_or_forged_proxy_assertion_is_refused(app, client, idp) -> None:
    assert client.get("/mentoring/sign-in/sso/intranet-proxy").status_code == 401
    forged = rsa_key("city-1").sign({"iss": idp.issuer, "aud": "mentoring", "sub": "x"})
    response = client.get("/mentoring/sign-in/sso/intranet-proxy",
                          headers={"X-Auth-Request-Jwt": forged})
    assert response.status_code == 401
    assert staff_in(app) == []


def test_an_unknown_provider_is_not_found(client) -> None:
    assert client.get("/mentoring/sign-in/sso/nowhere").status_code == 404


def test_a_bad_provider_setting_stops_start_up(db_url: str, idp: LocalIdP) -> None:
    from kit import ConfigError

    with pytest.raises(ConfigError, match=r"KIT_AUTH_PROVIDERS\[0\]"):
        make_app(db_url, KIT_AUTH_PROVIDERS=[{"type": "oidc", "name": "x", "issuer": "http://a"}])
    with pytest.raises(ConfigError, match=r"KIT_AUTH_PROVIDERS\[0\].type"):
        make_app(db_url, KIT_AUTH_PROVIDERS=[{"type": "kerberos", "name": "x"}])
