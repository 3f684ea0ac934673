"""Configuration of the Port Alder intranet, one class per way of running it.

Secrets never live in this file: ``SECRET_KEY`` comes from the ``CITYHALL_SECRET_KEY``
environment variable. Only the demo may run without one; it then makes up a random key at
start-up (sessions end when the server restarts, which a demo can live with).
"""

from __future__ import annotations

import os
from typing import Any

#: Where the demo directory (ldap/cityhall.ldif) keeps people and groups.
DIRECTORY_SUFFIX = "dc=portalder,dc=example"
PEOPLE_DN = f"ou=people,{DIRECTORY_SUFFIX}"
GROUPS_DN = f"ou=groups,{DIRECTORY_SUFFIX}"


def directory_sign_in(uri: str | None) -> dict[str, Any]:
    """``KIT_AUTH_PROVIDERS`` and ``KIT_ROLE_GROUPS`` for the demo directory at ``uri``.

    Staff sign in with their city account (searched anonymously under ``ou=people``, groups
    read from ``memberOf``); the mentors group lets people take part, the coordinators and
    admins groups grant those roles. No ``uri``: no provider, the development sign-in only.
    """
    if not uri:
        return {"KIT_AUTH_PROVIDERS": (), "KIT_ROLE_GROUPS": {}}
    return {
        "KIT_AUTH_PROVIDERS": [{
            "type": "ldap",
            "name": "portalder",
            "title": {"en": "City of Port Alder account", "fr": "Compte de la Ville de Port Alder"},
            "uris": [uri],
            "base_dn": PEOPLE_DN,
        }],
        "KIT_ROLE_GROUPS": {
            "staff": [f"cn=mentors,{GROUPS_DN}"],
            "coordinator": [f"cn=coordinators,{GROUPS_DN}"],
            "admin": [f"cn=admins,{GROUPS_DN}"],
        },
    }


class Config:
    """Production-like defaults: a SQLite file in the instance folder unless told otherwise."""

    SECRET_KEY = os.environ.get("CITYHALL_SECRET_KEY")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

    # The mentoring kit, mounted under /mentoring and dressed in the city's layout.
    KIT_URL_PREFIX = "/mentoring"
    KIT_BASE_TEMPLATE = "cityhall/layout.html"
    KIT_PROGRAM_NAME = {"en": "Newcomer Mentoring Program",
                        "fr": "Programme de mentorat des nouveaux arrivants"}
    KIT_TIMEZONE = "America/Vancouver"
    # A relative SQLite path lives in the app's instance folder.
    KIT_DATABASE_URI = os.environ.get("CITYHALL_DATABASE_URL", "sqlite:///cityhall.sqlite")


class DemoConfig(Config):
    """The demo: seeded people, and a sign-in page that lets anyone become any of them.

    When ``CITYHALL_LDAP_URI`` is set (``./scripts/demo`` sets it to the throwaway slapd it
    started), staff can also sign in with their city account; agency caseworkers and
    newcomers still come in through the development sign-in.
    """

    KIT_DEMO_MODE = True
    KIT_DEV_SIGN_IN = True
    # The demo is served over plain HTTP on 127.0.0.1; production keeps Secure cookies.
    KIT_SECURE_COOKIES = False
    KIT_DATABASE_URI = os.environ.get("CITYHALL_DATABASE_URL", "sqlite:///cityhall-demo.sqlite")
    _directory = directory_sign_in(os.environ.get("CITYHALL_LDAP_URI"))
    KIT_AUTH_PROVIDERS = _directory["KIT_AUTH_PROVIDERS"]
    KIT_ROLE_GROUPS = _directory["KIT_ROLE_GROUPS"]
    del _directory


class TestingConfig(DemoConfig):
    """For the test suite: a throwaway key; tests pass their own database URI and directory."""

    TESTING = True
    KIT_AUTH_PROVIDERS = ()
    KIT_ROLE_GROUPS = {}
    SECRET_KEY = "cityhall-tests-only"  # noqa: S105 - not a secret, used by tests alone


CONFIGS: dict[str, type[Config]] = {
    "default": Config,
    "demo": DemoConfig,
    "testing": TestingConfig,
}
