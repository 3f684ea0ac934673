"""The extension contract a host relies on: init once, state per app, subsets, host database."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from conftest import make_app, sign_in_as
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, inspect, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit import ConfigError, MentoringKit, get_state
from kit.models import Base, StaffMember


def test_a_second_init_on_the_same_app_is_refused(app: Flask) -> None:
    with pytest.raises(RuntimeError, match="already initialised"):
        MentoringKit().init_app(app)


def test_state_without_init_says_what_to_do() -> None:
    with pytest.raises(RuntimeError, match=r"call MentoringKit\(\).init_app"):
        get_state(Flask(__name__))


def test_a_missing_secret_key_stops_start_up(sqlite_url: str) -> None:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_url
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        MentoringKit().init_app(app)


def test_a_typo_in_a_key_stops_start_up(sqlite_url: str) -> None:
    with pytest.raises(ConfigError, match="KIT_URL_PREFX"):
        make_app(sqlite_url, KIT_URL_PREFX="/m")


def test_two_apps_in_one_process_share_no_state(tmp_path: Path) -> None:
    first = make_app(f"sqlite:///{tmp_path / 'a.sqlite'}", KIT_URL_PREFIX="/a",
                     KIT_PROGRAM_NAME="Programme A")
    second = make_app(f"sqlite:///{tmp_path / 'b.sqlite'}", KIT_URL_PREFIX="/b",
                      KIT_DEFAULT_LOCALE="fr")
    for application in (first, second):
        with application.app_context():
            Base.metadata.create_all(get_state().db.engine)
    with first.app_context():
        db = get_state().db.session
        db.add(StaffMember(directory_id="amara", email="amara@a.example", display_name="Amara"))
        db.commit()
    assert get_state(first) is not get_state(second)
    assert get_state(first).db is not get_state(second).db
    assert get_state(first).config["KIT_PROGRAM_NAME"] == "Programme A"
    assert get_state(second).config["KIT_DEFAULT_LOCALE"] == "fr"
    with second.app_context():
        assert get_state().db.session.scalars(select(StaffMember)).all() == []
    assert first.test_client().get("/a/sign-in").status_code == 200
    assert first.test_client().get("/b/sign-in").status_code == 404
    assert second.test_client().get("/b/sign-in").status_code == 200


@pytest.mark.kit_config(KIT_BLUEPRINTS=["agency"])
def test_a_host_mounts_only_the_agency_portal(app: Flask, client, factory, db) -> None:
    user = factory.agency_user()
    db.commit()
    sign_in_as(client, "agency", user.id)
    assert client.get("/mentoring/agency/").status_code == 200
    assert client.get("/mentoring/staff/").status_code == 404
    assert client.get("/mentoring/coordinator/").status_code == 404
    assert "kit_staff" not in app.blueprints


@pytest.mark.kit_config(KIT_URL_PREFIX="/community/mentoring")
def test_the_prefix_is_the_hosts_choice(client) -> None:
    assert client.get("/community/mentoring/sign-in").status_code == 200
    assert client.get("/mentoring/sign-in").status_code == 404


def test_kit_pages_extend_the_host_layout(tmp_path: Path, sqlite_url: str) -> None:
    (tmp_path / "intranet").mkdir()
    (tmp_path / "intranet" / "layout.html").write_text(
        "<html><head><title>{% block title %}{% endblock %}</title>{% block head %}{% endblock %}"
        "</head><body><header>Port Alder Intranet</header>{% block content %}{% endblock %}"
        "</body></html>", "utf-8")
    app = Flask(__name__, template_folder=str(tmp_path))
    app.config.update(SECRET_KEY=secrets.token_hex(8), SQLALCHEMY_DATABASE_URI=sqlite_url,
                      KIT_BASE_TEMPLATE="intranet/layout.html")
    MentoringKit().init_app(app)
    html = app.test_client().get("/mentoring/sign-in").get_data(as_text=True)
    assert "<header>Port Alder Intranet</header>" in html
    assert "<h1>Sign in</h1>" in html
    assert "kit.css" in html


def test_without_a_host_layout_the_kit_has_its_own(client) -> None:
    html = client.get("/mentoring/sign-in").get_data(as_text=True)
    assert html.startswith("<!doctype html>")
    assert 'class="kit-standalone"' in html


def test_a_host_overrides_a_kit_template(tmp_path: Path, sqlite_url: str) -> None:
    (tmp_path / "kit" / "core").mkdir(parents=True)
    (tmp_path / "kit" / "core" / "sign_in.html").write_text(
        '{% extends "kit/_page.html" %}{% block page_title %}Use your city account'
        "{% endblock %}", "utf-8")
    app = Flask(__name__, template_folder=str(tmp_path))
    app.config.update(SECRET_KEY=secrets.token_hex(8), SQLALCHEMY_DATABASE_URI=sqlite_url)
    MentoringKit().init_app(app)
    html = app.test_client().get("/mentoring/sign-in").get_data(as_text=True)
    assert "<h1>Use your city account</h1>" in html


class HostBase(DeclarativeBase):
    pass


class Branch(HostBase):
    __tablename__ = "branch"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


def test_the_host_database_keeps_its_own_models(db_url: str) -> None:
    host_db = SQLAlchemy(model_class=HostBase)
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secrets.token_hex(8), SQLALCHEMY_DATABASE_URI=db_url)
    host_db.init_app(app)
    MentoringKit().init_app(app, db=host_db)
    with app.app_context():
        assert get_state().db is host_db and not get_state().owns_db
        host_db.create_all()
        Base.metadata.create_all(host_db.engine)
        host_db.session.add(Branch(name="Main Street"))
        host_db.session.add(StaffMember(directory_id="li", email="li@bank.example",
                                        display_name="李小龙"))
        host_db.session.commit()
        tables = set(inspect(host_db.engine).get_table_names())
        assert "branch" in tables and "kit_staff_member" in tables
        assert {t for t in tables if t != "branch"} == {t for t in tables if t.startswith("kit_")}
        assert host_db.session.scalar(select(Branch.name)) == "Main Street"
        assert host_db.session.scalar(select(StaffMember.display_name)) == "李小龙"
        host_db.session.remove()  # end the read transaction, or PostgreSQL waits on the drop
        host_db.drop_all()
        Base.metadata.drop_all(host_db.engine)
        host_db.engine.dispose()


def test_a_host_db_not_initialised_on_the_app_is_explained(sqlite_url: str) -> None:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="x", SQLALCHEMY_DATABASE_URI=sqlite_url)
    with pytest.raises(RuntimeError, match=r"db\.init_app"):
        MentoringKit().init_app(app, db=SQLAlchemy())
