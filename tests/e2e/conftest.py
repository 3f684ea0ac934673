"""Browser tests: the city hall intranet served for real, driven by Debian's Chromium.

Fixtures:
- ``cityhall_directory`` (session): the example's throwaway slapd, loaded from
  examples/cityhall/ldap/cityhall.ldif (every password is ``demo-password``).
- ``browser`` (session): headless Chromium from ``/usr/bin/chromium`` through Playwright.
  No browser is ever downloaded (no ``playwright install``).
- ``live_server`` (function): the intranet on a fresh SQLite database seeded with the demo
  data, served by werkzeug in a thread on 127.0.0.1 and a free port.

A missing Chromium, Playwright or slapd fails the run in CI (a real component is never
skipped there) and skips these tests elsewhere. The browser tests run in the SQLite pass only:
``--db=postgresql`` deselects them (the server and the journey are the same on both).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash
from werkzeug.serving import WSGIRequestHandler, make_server

from e2e.e2e_support import CASEWORKER_PASSWORD, LiveServer
from servers.pytest_plugin import in_ci, selected_db

E2E = Path(__file__).resolve().parent
CITYHALL = E2E.parents[1] / "examples" / "cityhall"
SCREENSHOTS = E2E / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave the browser tests out of the PostgreSQL pass: they run once, on SQLite."""
    if selected_db(config) != "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if E2E in Path(str(item.path)).parents else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _unavailable(reason: str | None, what: str) -> None:
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"{what} is required in CI: {reason}", pytrace=False)
    pytest.skip(f"{what} not available: {reason}")


def browser_unavailable_reason() -> str | None:
    """Why no browser test can run here, or None."""
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    for module in ("playwright", "axe_playwright_python"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def cityhall_package() -> Iterator[Any]:
    """The example host package, imported from examples/cityhall."""
    sys.path.insert(0, str(CITYHALL))
    try:
        import cityhall

        yield cityhall
    finally:
        sys.path.remove(str(CITYHALL))


@pytest.fixture(scope="session")
def cityhall_directory(cityhall_package: Any, tmp_path_factory: pytest.TempPathFactory
                       ) -> Iterator[str]:
    """The city's throwaway staff directory for the whole run; yields its ldap:// URI."""
    from cityhall.directory import DemoDirectory, unavailable_reason

    _unavailable(unavailable_reason(), "slapd")
    with DemoDirectory(tmp_path_factory.mktemp("cityhall-ldap") / "slapd") as directory:
        yield directory.uri


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium, Debian's build, for the whole run."""
    _unavailable(browser_unavailable_reason(), "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class QuietHandler(WSGIRequestHandler):
    """Serves requests without logging each one: a failing test's output stays readable."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Say nothing about successful requests (errors are still logged)."""


def _lang(request: pytest.FixtureRequest) -> str:
    """The ``lang`` parameter of the test, English when it has none."""
    callspec = getattr(request.node, "callspec", None)
    return str(callspec.params.get("lang", "en")) if callspec else "en"


def _seed(app: Flask, locale: str) -> str:
    """Create the schema, load the demo data; give one caseworker a known password."""
    from sqlalchemy import select

    from kit import get_state
    from kit.demo.seed import DEFAULT_SEED, seed_demo
    from kit.models import Agency, AgencyUser, Base

    with app.app_context():
        db = get_state().db.session
        # The models, not the migrations: other work may change a model before its migration.
        Base.metadata.create_all(get_state().db.engine)
        seed_demo(db, seed=DEFAULT_SEED)
        users = db.scalars(
            select(AgencyUser).join(Agency, Agency.id == AgencyUser.agency_id)
            .where(AgencyUser.is_active, Agency.is_active)
            .order_by(AgencyUser.preferred_locale != locale, AgencyUser.id)).all()
        caseworker = users[0]
        caseworker.password_hash = generate_password_hash(CASEWORKER_PASSWORD)
        email = caseworker.email
        db.commit()
        db.remove()
    return email


@pytest.fixture
def live_server(request: pytest.FixtureRequest, cityhall_package: Any,
                cityhall_directory: str, tmp_path: Path) -> Iterator[LiveServer]:
    """The intranet with its directory sign-in, seeded, served on 127.0.0.1:<free port>.

    Parametrize the test with ``lang`` to seed a caseworker who prefers that language.
    """
    from cityhall.config import TestingConfig, directory_sign_in

    from kit import get_state

    lang = _lang(request)
    config = type("E2EConfig", (TestingConfig,), {
        "KIT_DATABASE_URI": f"sqlite:///{tmp_path / 'cityhall.sqlite'}",
        "KIT_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        **directory_sign_in(cityhall_directory),
    })
    app = cityhall_package.create_app(config)
    app.config["TESTING"] = False  # errors become pages, as a person would see them
    email = _seed(app, lang)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="cityhall-e2e", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, email)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            get_state().db.session.remove()
            get_state().db.engine.dispose()


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Path:
    """tests/e2e/screenshots/<lang>/ (emptied first), where a test keeps its screenshots."""
    folder = SCREENSHOTS / _lang(request)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
