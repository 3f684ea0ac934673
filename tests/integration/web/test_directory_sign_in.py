"""Staff sign in through the employer's LDAP directory (a real slapd), and the sync command."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import csrf_token, make_app
from flask import Flask
from sqlalchemy import select

from kit import get_state
from kit.models import Base, StaffMember
from servers.ldap_plugin import GROUPS, READER_DN, READER_PASSWORD
from servers.slapd import SUFFIX


def ldap_app(db_url: str, uri: str, **config: object) -> Flask:
    app = make_app(
        db_url,
        KIT_AUTH_PROVIDERS=[{
            "type": "ldap", "name": "city", "title": "City account",
            "uris": [uri], "bind_dn": READER_DN, "bind_password": READER_PASSWORD,
            "base_dn": SUFFIX, "group_base_dn": GROUPS, "network_timeout": 1,
            "operation_timeout": 1, "disabled_attribute": "employeeType",
            "disabled_values": ["disabled"],
        }],
        KIT_ROLE_GROUPS={"staff": [f"cn=mentors,{GROUPS}"],
                         "coordinator": [f"CN=Coordinators, {GROUPS}"],
                         "admin": [f"cn=admins,{GROUPS}"]},
        **config,
    )
    with app.app_context():
        Base.metadata.create_all(get_state().db.engine)
    return app


@pytest.fixture
def app(db_url: str, slapd_server) -> Iterator[Flask]:
    application = ldap_app(db_url, slapd_server.uri)
    yield application
    with application.app_context():
        get_state().db.session.remove()
        get_state().db.engine.dispose()


def sign_in(client, username: str, password: str):
    return client.post("/mentoring/sign-in/staff/city", data={
        "csrf_token": csrf_token(client), "username": username, "password": password,
        "next": "/mentoring/staff/"})


def staff(app: Flask, directory_id: str) -> StaffMember | None:
    with app.app_context():
        return get_state().db.session.scalar(
            select(StaffMember).where(StaffMember.directory_id == directory_id))


def test_an_employee_signs_in_with_a_utf8_password(app, client) -> None:
    response = sign_in(client, "lan.nguyen", "pässwörd-日本")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/mentoring/staff/"
    html = client.get("/mentoring/staff/").get_data(as_text=True)
    assert "Nguyễn, Thị (Lan)" in html
    assert "Mon bénévolat" in html  # preferredLanguage fr-CA
    member = staff(app, "lan.nguyen")
    assert (member.department, member.title) == ("Public Works", "Senior Civil Engineer")


def test_the_identity_comes_from_the_directory_not_the_form(app, client) -> None:
    assert sign_in(client, "  LAN.NGUYEN ", "pässwörd-日本").status_code == 302
    assert staff(app, "lan.nguyen") is not None
    assert staff(app, "  LAN.NGUYEN ") is None


def test_a_coordinator_group_gives_the_coordinator_pages(app, client) -> None:
    assert sign_in(client, "amira.haddad", "amira-secret-1").status_code == 302
    assert client.get("/mentoring/coordinator/").status_code == 200


@pytest.mark.parametrize(("username", "password", "status", "message"), [
    ("lan.nguyen", "wrong", 401, "The user name or the password is not right."),
    ("nobody", "whatever", 401, "The user name or the password is not right."),
    ("lan.nguyen", "   ", 400, "Enter your password."),
    ("*", "pässwörd-日本", 401, "The user name or the password is not right."),
    ("lan.nguyen)(uid=*", "x", 401, "The user name or the password is not right."),
    (f"uid=zoe.obrien,ou=people,{SUFFIX}", "zoe-secret-1", 401, "not right"),
    ("alex", "alex-secret-1", 401, "Several accounts match this user name."),
    ("sam.okafor", "sam-secret-1", 401, "not part of the mentoring program yet"),
    ("pat.kowalski", "pat-secret-1", 401, "This account is disabled."),
    ("x" * 300, "secret", 400, "This user name is too long."),
    ("", "", 400, "Enter your user name."),
])
def test_refusals_are_explained_and_change_nothing(app, client, username, password, status,
                                                   message) -> None:
    response = sign_in(client, username, password)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert client.get("/mentoring/staff/").status_code == 302


def test_a_disabled_account_is_deactivated_at_its_next_sign_in(app, client) -> None:
    with app.app_context():
        db = get_state().db.session
        db.add(StaffMember(directory_id="pat.kowalski", email="pat@city.example",
                           display_name="Pat Kowalski"))
        db.commit()
    sign_in(client, "pat.kowalski", "pat-secret-1")
    assert not staff(app, "pat.kowalski").is_active


def test_a_directory_that_is_down_gives_a_503(db_url: str, throwaway_slapd) -> None:
    app = ldap_app(db_url, throwaway_slapd.uri)
    client = app.test_client()
    throwaway_slapd.halt()
    response = sign_in(client, "lan.nguyen", "pässwörd-日本")
    assert response.status_code == 503
    assert "The staff directory is not answering." in response.get_data(as_text=True)
    throwaway_slapd.start()
    assert sign_in(client, "lan.nguyen", "pässwörd-日本").status_code == 302
    with app.app_context():
        get_state().db.engine.dispose()


def test_a_silent_directory_answers_within_the_timeout(db_url: str, silent_ldap_server) -> None:
    import time

    app = ldap_app(db_url, silent_ldap_server.uri)
    started = time.monotonic()
    response = sign_in(app.test_client(), "lan.nguyen", "pässwörd-日本")
    assert response.status_code == 503
    assert time.monotonic() - started < 4
    with app.app_context():
        get_state().db.engine.dispose()


def test_the_sync_command_deactivates_people_who_left(app) -> None:
    for username, password in (("lan.nguyen", "pässwörd-日本"), ("zoe.obrien", "zoe-secret-1")):
        assert sign_in(app.test_client(), username, password).status_code == 302
    with app.app_context():
        db = get_state().db.session
        db.add(StaffMember(directory_id="gone.person", email="gone@city.example",
                           display_name="Gone Person"))
        db.commit()
    result = app.test_cli_runner().invoke(args=["kit", "directory", "sync"])
    assert result.exit_code == 0, result.output
    assert "Checked 3 staff members: 2 up to date, 1 deactivated." in result.output
    assert not staff(app, "gone.person").is_active
    assert staff(app, "zoe.obrien").is_active  # member through the nested group


def test_the_sync_changes_nothing_when_the_directory_is_down(db_url, throwaway_slapd) -> None:
    app = ldap_app(db_url, throwaway_slapd.uri)
    with app.app_context():
        db = get_state().db.session
        db.add(StaffMember(directory_id="lan.nguyen", email="lan@city.example",
                           display_name="Lan"))
        db.commit()
    throwaway_slapd.halt()
    result = app.test_cli_runner().invoke(args=["kit", "directory", "sync"])
    assert result.exit_code == 2
    assert "nothing was changed" in result.output
    assert staff(app, "lan.nguyen").is_active
    with app.app_context():
        get_state().db.engine.dispose()


def test_the_sync_stops_above_the_configured_share_of_deactivations(app) -> None:
    assert sign_in(app.test_client(), "lan.nguyen", "pässwörd-日本").status_code == 302
    with app.app_context():
        db = get_state().db.session
        db.add_all(StaffMember(directory_id=f"gone.{i}", email=f"gone{i}@city.example",
                               display_name=f"Gone {i}") for i in range(5))
        db.commit()
    result = app.test_cli_runner().invoke(args=["kit", "directory", "sync"])
    assert result.exit_code == 3, result.output
    assert "5 of 6 staff members would be deactivated" in result.output
    assert staff(app, "gone.0").is_active  # nothing changed

    with app.app_context():
        get_state().config["KIT_DIRECTORY_MAX_DEACTIVATION"] = 0.9
    result = app.test_cli_runner().invoke(args=["kit", "directory", "sync"])
    assert result.exit_code == 0, result.output
    assert not staff(app, "gone.0").is_active and staff(app, "lan.nguyen").is_active
