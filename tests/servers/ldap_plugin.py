"""pytest plugin: real OpenLDAP servers for the LDAP sign-in tests.

Fixtures:
- ``slapd_server`` (session): one slapd with TLS (ldap://, StartTLS and ldaps://) loaded from
  ``tests/servers/ldap/city.ldif``; tests only read from it.
- ``throwaway_slapd`` (function): a fresh slapd without TLS, same entries; a test may stop
  and start it (``halt()`` / ``start()``, same port).
- ``silent_ldap_server`` (function): a socket that accepts and never answers.
- ``ldap_settings`` (function): a factory of :class:`LdapSettings` for ``slapd_server`` with
  the service account, the city's attributes and a 5 s timeout; keyword arguments override.

A missing slapd fails the run in CI (a real component is never skipped there) and skips the
tests that need it elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from servers.pytest_plugin import in_ci
from servers.slapd import SUFFIX, SilentServer, SlapdServer, unavailable_reason

PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
READER_DN = f"cn=kit-reader,ou=system,{SUFFIX}"
READER_PASSWORD = "reader-secret"
# The passwords of tests/servers/ldap/city.ldif.
PASSWORDS = {
    "jose.ramirez": "jose-secret-1",
    "lan.nguyen": "pässwörd-日本",
    "zoe.obrien": "zoe-secret-1",
    "pat.kowalski": "pat-secret-1",
    "sam.okafor": "sam-secret-1",
    "amira.haddad": "amira-secret-1",
    "kenji.sato": "kenji-secret-1",
}


def _require_slapd() -> None:
    reason = unavailable_reason()
    if reason is not None:
        if in_ci():
            pytest.fail(f"slapd is required in CI: {reason}", pytrace=False)
        pytest.skip(f"slapd not available: {reason}")


@pytest.fixture(scope="session")
def slapd_server() -> Iterator[SlapdServer]:
    """Start one TLS-capable slapd with the city's directory for the whole run."""
    _require_slapd()
    with SlapdServer(tls=True) as server:
        yield server


@pytest.fixture
def throwaway_slapd() -> Iterator[SlapdServer]:
    """A fresh slapd without TLS for one test, which may stop and restart it."""
    _require_slapd()
    with SlapdServer(tls=False) as server:
        yield server


@pytest.fixture
def silent_ldap_server() -> Iterator[SilentServer]:
    """A server on 127.0.0.1 that accepts LDAP connections and never answers."""
    with SilentServer() as server:
        yield server


@pytest.fixture
def ldap_settings(slapd_server: SlapdServer) -> Callable[..., Any]:
    """Build LdapSettings for ``slapd_server``: search-then-bind, memberOf groups."""
    from kit.auth.ldap_settings import LdapSettings

    def build(**overrides: Any) -> LdapSettings:
        values: dict[str, Any] = {
            "uris": (slapd_server.uri,),
            "bind_dn": READER_DN,
            "bind_password": READER_PASSWORD,
            "base_dn": SUFFIX,
            "group_base_dn": GROUPS,
            "disabled_attribute": "employeeType",
            "disabled_values": ("disabled",),
        }
        values.update(overrides)
        return LdapSettings(**values)

    return build
