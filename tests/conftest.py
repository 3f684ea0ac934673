"""Fixtures shared by every test: an app that embeds the kit, its client, CLI runner, people.

``@pytest.mark.kit_config(KIT_...=...)`` sets configuration for the ``app`` of one test.
The database is SQLite by default and a real PostgreSQL server with ``--db=postgresql``.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import scoped_session

from factories import Factory
from kit import MentoringKit, get_state
from kit.models import Base, enable_sqlite_foreign_keys

pytest_plugins = ["servers.pytest_plugin", "servers.ldap_plugin"]


def make_app(db_url: str, **config: Any) -> Flask:
    """A bare host application that embeds the kit with ``config``."""
    app = Flask("kit_test_host")
    app.config.update(
        SECRET_KEY=secrets.token_hex(16),
        TESTING=True,
        SQLALCHEMY_DATABASE_URI=db_url,
        **config,
    )
    MentoringKit().init_app(app)
    return app


@pytest.fixture
def app(request: pytest.FixtureRequest, db_url: str) -> Iterator[Flask]:
    """An app with the kit mounted at /mentoring, its schema created, nothing else in it."""
    marker = request.node.get_closest_marker("kit_config")
    application = make_app(db_url, **(marker.kwargs if marker else {}))
    with application.app_context():
        Base.metadata.create_all(get_state().db.engine)
    yield application
    with application.app_context():
        get_state().db.session.remove()
        for engine in get_state().db.engines.values():
            engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[scoped_session]:
    """The kit's database session inside an application context."""
    with app.app_context():
        yield get_state().db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client for ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs ``flask kit ...`` commands against ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def factory(db: scoped_session) -> Factory:
    """Creates people and program records with sensible defaults."""
    return Factory(db)


def csrf_token(client: FlaskClient, path: str = "/mentoring/sign-in") -> str:
    """The CSRF token of the client's session, read from a kit page as a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in_as(client: FlaskClient, kind: str, person_id: int, link_id: int | None = None,
               signed_in_ago: int = 0, seen_ago: int = 0) -> None:
    """Put a signed-in identity in the client's session, as a sign-in provider would."""
    now = int(time.time())
    with client.session_transaction() as session:
        session["kit_identity"] = {"kind": kind, "id": person_id, "link": link_id,
                                   "at": now - signed_in_ago, "seen": now - seen_ago}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on a fresh, empty database: a SQLite file, then a real PostgreSQL database."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    engine = create_engine(request.getfixturevalue(fixture))
    enable_sqlite_foreign_keys(engine)
    yield engine
    engine.dispose()
