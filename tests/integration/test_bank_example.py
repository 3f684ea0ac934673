"""The Northshore bank intranet: a host with its own models, pages and layout embeds the kit.

The intranet's database (SQLite, or PostgreSQL with ``--db=postgresql``) holds the bank's tables
and the kit's ``kit_*`` tables side by side; staff sign in through OIDC against a local IdP.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select

from kit import ConfigError, migrations
from kit.models import Base, StaffMember
from servers.idp import CLIENT_ID, CLIENT_SECRET, LocalIdP, rsa_key

BANK = Path(__file__).resolve().parents[2] / "examples" / "bank"
PREFIX = "/community/mentoring"
SSO = f"{PREFIX}/sign-in/sso/northshore-sso"
HOST_TABLES = {"branches", "announcements"}


@pytest.fixture(scope="module")
def northshore() -> Iterator[ModuleType]:
    """The example host package, imported from examples/bank."""
    sys.path.insert(0, str(BANK))
    try:
        import northshore

        yield northshore
    finally:
        sys.path.remove(str(BANK))


@pytest.fixture
def idp() -> Iterator[LocalIdP]:
    """The bank's IdP, with an employee who volunteers for the mentoring program."""
    with LocalIdP(keys=[rsa_key("northshore-1")]) as provider:
        provider.person = {
            "sub": "e-20417", "email": "theo.arsenault@northshore.example",
            "name": "Théo Arsenault", "groups": ["all-staff", "mentoring-volunteers"],
            "department": "Commercial lending",
        }
        yield provider


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, db_url: str, idp: LocalIdP) -> None:
    """What the bank's operators put in the environment: database and IdP registration."""
    monkeypatch.setenv("BANK_SECRET_KEY", "northshore-tests-only")
    monkeypatch.setenv("BANK_DATABASE_URL", db_url)
    monkeypatch.setenv("BANK_OIDC_ISSUER", idp.issuer)
    monkeypatch.setenv("BANK_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("BANK_OIDC_CLIENT_SECRET", CLIENT_SECRET)


def dispose(app: Flask) -> None:
    """Close every database connection of ``app`` (PostgreSQL drops the database after)."""
    from northshore import db

    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def bank(northshore: ModuleType, environment: None) -> Iterator[Flask]:
    """The intranet, its own tables and the kit's created as its README says."""
    app = northshore.create_app("testing")
    runner = app.test_cli_runner()
    for command in (["bank", "init-db", "--sample-data"], ["kit", "db", "upgrade"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    yield app
    dispose(app)


@pytest.fixture
def browser(bank: Flask) -> FlaskClient:
    """A browser on the intranet."""
    return bank.test_client()


def sign_in_through_idp(browser: FlaskClient, idp: LocalIdP, next_url: str = f"{PREFIX}/"):
    """The OIDC code flow, as a browser follows it: to the IdP and back to the callback."""
    response = browser.get(SSO, query_string={"next": next_url})
    assert response.status_code == 302
    params = idp.authorize(response.headers["Location"])
    return browser.get(f"{SSO}/callback", query_string=params)


def test_the_intranets_own_pages_and_models_keep_working(bank: Flask, browser) -> None:
    from northshore import db
    from northshore.models import Announcement, Branch

    with bank.app_context():
        branch = Branch(transit="00733", name="Sackville Waterfront", street="12 Bridge Street",
                        city="Sackville", province="NB", phone=None, opened_on=date(2025, 4, 7))
        db.session.add(branch)
        db.session.add(Announcement(title="Waterfront branch: new hours", body="Open until 18:00.",
                                    published_on=date(2026, 10, 19), branch=branch))
        db.session.commit()

    home = browser.get("/").get_data(as_text=True)
    assert "Sackville Waterfront" in home and "Main Street" in home
    assert "Waterfront branch: new hours" in home
    listing = browser.get("/branches/").get_data(as_text=True)
    assert listing.index("Riverview") < listing.index("Sackville Waterfront")  # sorted by city
    page = browser.get("/branches/00733")
    assert page.status_code == 200
    assert "12 Bridge Street" in page.get_data(as_text=True)
    missing = browser.get("/branches/99999")
    assert missing.status_code == 404
    assert "This page is not on the intranet." in missing.get_data(as_text=True)


def test_the_home_page_invites_staff_to_the_mentoring_program(browser) -> None:
    home = browser.get("/").get_data(as_text=True)
    assert f'href="{PREFIX}/staff/"' in home and "Join the mentoring program" in home
    # An employee who follows it is asked to sign in first, and comes back to it.
    response = browser.get(f"{PREFIX}/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{PREFIX}/sign-in")


def test_the_kits_tables_sit_beside_the_banks_and_leave_them_alone(bank: Flask) -> None:
    from northshore import db
    from northshore.models import Branch

    with bank.app_context():
        tables = set(inspect(db.engine).get_table_names())
        kit_tables = tables - HOST_TABLES
        assert tables >= HOST_TABLES
        assert kit_tables == {*Base.metadata.tables, "kit_alembic_version"}
        assert all(name.startswith("kit_") for name in kit_tables)
        branches = db.session.scalars(select(Branch.transit).order_by(Branch.transit)).all()
        db.session.remove()

        # Taking the kit out again leaves exactly the bank's tables, with the bank's rows.
        migrations.downgrade(db.engine, "base")
        assert set(inspect(db.engine).get_table_names()) == HOST_TABLES
        assert db.session.scalars(select(Branch.transit).order_by(Branch.transit)).all() == \
            branches
        assert len(branches) == 5


def test_the_sign_in_page_wears_the_banks_layout_and_offers_its_sso(browser) -> None:
    response = browser.get(f"{PREFIX}/sign-in")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<div class="ns-sidebar">' in page and "northshore/northshore.css" in page
    assert "<title>Sign in · Newcomer Career Mentoring | Northshore Credit Union</title>" in page
    assert f'href="{SSO}"' in page and "Sign in with your Northshore account" in page
    # The mentoring entry of the bank's menu is the current one.
    assert f'<a href="{PREFIX}/" aria-current="page">' in page


def test_an_employee_signs_in_through_the_banks_idp(bank: Flask, browser, idp) -> None:
    response = sign_in_through_idp(browser, idp, f"{PREFIX}/staff/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{PREFIX}/staff/"

    staff_page = browser.get(f"{PREFIX}/staff/")
    assert staff_page.status_code == 200
    page = staff_page.get_data(as_text=True)
    assert '<div class="ns-sidebar">' in page and "My volunteering" in page
    assert "Signed in as Théo Arsenault" in page  # the bank's top bar knows who signed in
    # Back on the bank's own home page, the same person is greeted.
    assert "Hello, Théo Arsenault" in browser.get("/").get_data(as_text=True)

    from northshore import db

    with bank.app_context():
        [staff] = db.session.scalars(select(StaffMember)).all()
        assert (staff.directory_id, staff.department) == ("e-20417", "Commercial lending")
        assert set(staff.role_names) == {"staff"}


def test_the_coordinators_group_opens_the_coordinator_pages(browser, idp) -> None:
    idp.person["groups"] = ["all-staff", "mentoring-coordinators"]
    response = sign_in_through_idp(browser, idp)
    assert response.headers["Location"] == f"{PREFIX}/"
    landing = browser.get(f"{PREFIX}/")
    assert landing.headers["Location"] == f"{PREFIX}/coordinator/"
    coordinator = browser.get(f"{PREFIX}/coordinator/")
    assert coordinator.status_code == 200
    assert '<div class="ns-sidebar">' in coordinator.get_data(as_text=True)


def test_an_employee_outside_the_mentoring_groups_is_turned_away(browser, idp) -> None:
    idp.person["groups"] = ["all-staff", "tellers"]
    response = sign_in_through_idp(browser, idp)
    assert response.status_code == 403
    assert "not part of the mentoring program yet" in response.get_data(as_text=True)
    assert browser.get(f"{PREFIX}/staff/").status_code == 302


def test_mentoring_pages_speak_french_with_the_french_program_name(browser) -> None:
    response = browser.get(f"{PREFIX}/sign-in", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Mentorat professionnel des nouveaux arrivants" in page
    assert "Se connecter avec votre compte Northshore" in page
    assert "Caisse Northshore" in page and "Succursales" in page  # the bank's menu, in French
    assert "Newcomer Career Mentoring" not in page


def test_production_refuses_to_start_without_its_settings(
        northshore: ModuleType, environment: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from northshore.config import MissingSetting

    monkeypatch.delenv("BANK_OIDC_CLIENT_SECRET")
    monkeypatch.setenv("BANK_SECRET_KEY", "  ")
    with pytest.raises(MissingSetting) as refused:
        northshore.create_app("production")
    assert refused.value.names == ["BANK_SECRET_KEY", "BANK_OIDC_CLIENT_SECRET"]
    assert "BANK_SECRET_KEY, BANK_OIDC_CLIENT_SECRET" in str(refused.value)
    # Development makes up a key for the run, but cannot make up the IdP registration.
    with pytest.raises(MissingSetting, match="BANK_OIDC_CLIENT_SECRET"):
        northshore.create_app("development")


def test_production_refuses_an_idp_over_plain_http(
        northshore: ModuleType, environment: None) -> None:
    # The local IdP is http://127.0.0.1: only development and tests may use such an IdP.
    with pytest.raises(ConfigError, match=r"KIT_AUTH_PROVIDERS\[0\]"):
        northshore.create_app("production")
