"""The city hall demo's staff sign in through its own throwaway slapd, as ./scripts/demo runs it.

The directory is started and stopped with ``python -m cityhall.directory`` exactly as the demo
script does, loaded from examples/cityhall/ldap/cityhall.ldif; the app is the city's intranet
with the LDAP provider its demo configuration builds, on the demo seed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from conftest import csrf_token
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kit import get_state, migrations
from kit.demo.seed import DEFAULT_SEED, seed_demo
from kit.models import Match, Newcomer, Referral, StaffMember, VolunteerProfile
from servers.pytest_plugin import in_ci

CITYHALL = Path(__file__).resolve().parents[2] / "examples" / "cityhall"
SIGN_IN = "/mentoring/sign-in/staff/portalder"


@pytest.fixture(scope="module")
def cityhall() -> Iterator[ModuleType]:
    """The example host package, imported from examples/cityhall."""
    sys.path.insert(0, str(CITYHALL))
    try:
        import cityhall

        yield cityhall
    finally:
        sys.path.remove(str(CITYHALL))


def directory_command(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cityhall.directory ARGS`` the way scripts/demo does."""
    env = {**os.environ, "PYTHONPATH": str(CITYHALL)}
    env.pop("CITYHALL_LDAP_URI", None)
    return subprocess.run(  # noqa: S603 - this interpreter, fixed module
        [sys.executable, "-m", "cityhall.directory", *args],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )


@pytest.fixture(scope="module")
def directory_uri(cityhall: ModuleType, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[str]:
    """The demo directory, started for this module and deleted afterwards."""
    from cityhall.directory import unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        if in_ci():
            pytest.fail(f"slapd is required in CI: {reason}", pytrace=False)
        pytest.skip(f"slapd not available: {reason}")
    base = tmp_path_factory.mktemp("cityhall-ldap")
    started = directory_command("start", str(base))
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip()
    finally:
        directory_command("stop", str(base))


@pytest.fixture
def app(cityhall: ModuleType, directory_uri: str, db_url: str) -> Iterator[Flask]:
    """The intranet in demo mode, signing staff in through the demo directory, seeded."""
    from cityhall.config import TestingConfig, directory_sign_in

    config = type("Config", (TestingConfig,), {"KIT_DATABASE_URI": db_url,
                                               **directory_sign_in(directory_uri)})
    application = cityhall.create_app(config)
    with application.app_context():
        migrations.upgrade(get_state().db.engine)
        seed_demo(get_state().db.session, seed=DEFAULT_SEED)
        get_state().db.session.remove()
    yield application
    with application.app_context():
        get_state().db.session.remove()
        get_state().db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser on the seeded intranet."""
    return app.test_client()


def sign_in(client: FlaskClient, username: str, password: str, next_url: str):
    return client.post(SIGN_IN, data={"csrf_token": csrf_token(client), "username": username,
                                      "password": password, "next": next_url})


def test_the_coordinator_signs_in_with_a_city_account(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        db = get_state().db.session
        staff_before = db.scalar(select(func.count()).select_from(StaffMember))
        zoe_id = db.scalar(select(StaffMember.id).where(StaffMember.directory_id == "zobrien001"))
        waiting = [newcomer.display_name for newcomer in db.scalars(
            select(Newcomer).join(Referral).where(Referral.status == "submitted"))]

    page = client.get("/mentoring/sign-in").get_data(as_text=True)
    assert "City of Port Alder account" in page and "Development sign-in" in page

    response = sign_in(client, "zobrien001", "demo-password", "/mentoring/coordinator/")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/mentoring/coordinator/"
    html = client.get("/mentoring/coordinator/").get_data(as_text=True)
    assert "Program coordination" in html
    assert '<span class="ch-brand__city">City of Port Alder</span>' in html
    assert '<span class="ch-user">Zoë O&#39;Brien</span>' in html
    assert waiting and all(name in html for name in waiting)  # seeded, awaiting her decision

    with app.app_context():
        db = get_state().db.session
        zoe = db.scalar(select(StaffMember).where(StaffMember.directory_id == "zobrien001"))
        assert zoe.id == zoe_id and zoe.last_sign_in_at is not None
        assert zoe.role_names == {"staff", "coordinator"}
        assert db.scalar(select(func.count()).select_from(StaffMember)) == staff_before


def test_a_wrong_password_is_refused(client: FlaskClient) -> None:
    response = sign_in(client, "zobrien001", "not-the-password", "/mentoring/coordinator/")
    assert response.status_code == 401
    assert "The user name or the password is not right." in response.get_data(as_text=True)
    assert client.get("/mentoring/coordinator/").status_code == 302


def test_a_mentor_finds_their_seeded_match_and_a_new_employee_joins(
        app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        mentored = [newcomer.display_name for newcomer in get_state().db.session.scalars(
            select(Newcomer).join(Match).join(VolunteerProfile)
            .join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
            .where(StaffMember.directory_id == "ksikora018", Match.status == "active"))]
    assert sign_in(client, "ksikora018", "demo-password", "/mentoring/staff/").status_code == 302
    html = client.get("/mentoring/staff/").get_data(as_text=True)
    assert mentored and all(name in html for name in mentored)
    assert client.get("/mentoring/coordinator/").status_code == 403

    new_client = app.test_client()
    assert sign_in(new_client, "ihalvorsen", "demo-password",
                   "/mentoring/staff/").status_code == 302
    html = new_client.get("/mentoring/staff/").get_data(as_text=True)
    assert "Ingrid Halvorsen" in html
    assert "You have not volunteered as a mentor yet." in html
    with app.app_context():
        ingrid = get_state().db.session.scalar(
            select(StaffMember).where(StaffMember.directory_id == "ihalvorsen"))
        assert (ingrid.email, ingrid.department) == ("ingrid.halvorsen@portalder.example",
                                                     "Water Services")


def test_the_directory_lines_up_with_the_seeded_staff(app: Flask, cityhall: ModuleType) -> None:
    import ldif
    from cityhall.config import PEOPLE_DN
    from cityhall.directory import LDIF

    with LDIF.open(encoding="utf-8") as stream:
        parser = ldif.LDIFRecordList(stream)
        parser.parse()
    entries = {entry["uid"][0].decode(): {k: v[0].decode() for k, v in entry.items()}
               for _dn, entry in parser.all_records if "uid" in entry}
    groups = {entry["cn"][0].decode(): {m.decode() for m in entry["member"]}
              for _dn, entry in parser.all_records if "member" in entry}
    with app.app_context():
        db = get_state().db.session
        seeded = {m.directory_id: m for m in db.scalars(
            select(StaffMember).where(StaffMember.directory_id.in_(entries)))}
        emails = set(db.scalars(select(StaffMember.email)))
        for uid, entry in entries.items():
            if uid == "ihalvorsen":  # the new employee: not in the database yet
                assert uid not in seeded and entry["mail"] not in emails
                continue
            member = seeded[uid]
            manager = entry.get("manager")
            assert (entry["mail"], entry["displayName"], entry["departmentNumber"],
                    entry["title"], entry["l"], entry["employeeNumber"],
                    entry["preferredLanguage"][:2], manager) == (
                member.email, member.display_name, member.department, member.title,
                member.work_location, member.employee_number, member.preferred_locale,
                manager and f"uid={member.manager_directory_id},{PEOPLE_DN}")
            in_group = {name for name, members in groups.items()
                        if f"uid={uid},{PEOPLE_DN}" in members}
            assert in_group == ({"mentors"} if not member.roles
                                else {f"{role}s" for role in member.role_names - {"staff"}})
            if in_group == {"mentors"}:
                assert db.scalar(select(VolunteerProfile.status)
                                 .where(VolunteerProfile.staff_id == member.id)) == "approved"
        coordinators = set(db.scalars(select(StaffMember.directory_id)
                                      .where(StaffMember.roles.any())))
    leaders = groups["coordinators"] | groups["admins"]
    assert coordinators == {uid for uid in entries if f"uid={uid},{PEOPLE_DN}" in leaders}


def test_the_demo_configuration_reads_the_directory_from_the_environment(cityhall) -> None:
    def providers(environ: dict[str, str]) -> str:
        env = {key: value for key, value in os.environ.items() if key != "CITYHALL_LDAP_URI"}
        env.update(PYTHONPATH=str(CITYHALL), **environ)
        return subprocess.run(
            [sys.executable, "-c", "from cityhall.config import DemoConfig as C; "
             "print([(p['type'], p['uris']) for p in C.KIT_AUTH_PROVIDERS], "
             "sorted(C.KIT_ROLE_GROUPS))"],
            env=env, capture_output=True, text=True, timeout=60, check=True,
        ).stdout.strip()

    assert providers({}) == "[] []"
    assert providers({"CITYHALL_LDAP_URI": "ldap://127.0.0.1:3890"}) == (
        "[('ldap', ['ldap://127.0.0.1:3890'])] ['admin', 'coordinator', 'staff']")


def test_stopping_the_directory_leaves_nothing_behind(directory_uri: str, tmp_path: Path) -> None:
    base = tmp_path / "slapd"
    base.mkdir()
    started = directory_command("start", str(base))
    assert started.returncode == 0, started.stderr
    assert "zobrien001" in started.stderr and "demo-password" in started.stderr
    port = int(started.stdout.strip().rsplit(":", 1)[1])

    assert directory_command("stop", str(base)).returncode == 0
    assert not base.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_without_slapd_the_demo_keeps_the_development_sign_in(
        cityhall: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from cityhall import directory

    monkeypatch.setattr(directory, "SLAPD", tmp_path / "no-slapd")
    assert directory.main(["check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path / 'no-slapd'} is not installed (apt-get install slapd)"]
    base = tmp_path / "slapd"
    base.mkdir()
    assert directory.main(["start", str(base)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "did not start" in err
    assert not base.exists()
