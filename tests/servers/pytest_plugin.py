"""pytest plugin: the ``--db`` option and fixtures for real databases.

Fixtures:
- ``postgres_server`` (session): one real PostgreSQL server for the whole run.
- ``postgres_url`` (function): a fresh empty database on it, dropped afterwards.
- ``sqlite_url`` (function): a fresh SQLite file in the test's tmp_path.
- ``db_url`` (function): ``sqlite_url`` or ``postgres_url``, as ``--db`` says.

A missing PostgreSQL fails the run in CI (a real component is never skipped
there) and skips the tests that need it elsewhere.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from servers.postgres import PostgresServer, unavailable_reason

DB_CHOICES = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--db``: the database every database-using test runs against."""
    parser.addoption(
        "--db",
        choices=DB_CHOICES,
        default="sqlite",
        help="database for tests that use one: sqlite (default) or postgresql "
        "(a real server started for the run)",
    )


def in_ci() -> bool:
    """Return True when running in continuous integration (CI is set)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def selected_db(config: pytest.Config) -> str:
    """Return the database chosen with ``--db``."""
    return str(config.getoption("--db"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start one real PostgreSQL server for the test run and stop it at the end."""
    reason = unavailable_reason()
    if reason is not None:
        if in_ci():
            pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
        pytest.skip(f"PostgreSQL not available: {reason}")
    with PostgresServer() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """Create a fresh empty database for one test, yield its URL, then drop it."""
    name = f"kit_test_{uuid.uuid4().hex[:16]}"
    url = postgres_server.create_database(name)
    try:
        yield url
    finally:
        # A fault-injection test may leave the server down; later tests need it up.
        postgres_server.start()
        postgres_server.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of a fresh SQLite database file in the test's tmp_path."""
    return f"sqlite:///{tmp_path / 'kit.sqlite'}"


@pytest.fixture
def db_url(request: pytest.FixtureRequest) -> str:
    """Return a fresh database URL on the database chosen with ``--db``."""
    if selected_db(request.config) == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(request.getfixturevalue("sqlite_url"))
