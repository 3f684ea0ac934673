"""Configuration of the Northshore staff intranet, one class per way of running it.

Everything that differs between deployments, and every secret, comes from the environment:

``BANK_SECRET_KEY``          signs sessions, forms and newcomer links
``BANK_DATABASE_URL``        e.g. ``postgresql+psycopg://intranet@db.internal/intranet``
``BANK_OIDC_ISSUER``         the IdP's issuer URL (its discovery document is read from it)
``BANK_OIDC_CLIENT_ID``      the intranet's client registration at the IdP
``BANK_OIDC_CLIENT_SECRET``  and its secret
``BANK_OIDC_GROUPS_CLAIM``   the id_token claim that lists the person's groups (default 'groups')
``BANK_OIDC_CA_FILE``        a CA bundle, when the IdP's certificate comes from the bank's own CA
``BANK_TRUSTED_PROXIES``     how many reverse proxies set X-Forwarded-* (default 0)

Values are read when an app is created (``create_app``), not when this module is imported,
hence the properties: ``app.config.from_object`` reads them from an instance.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

#: The IdP groups (the id_token's 'groups' claim) that give roles in the mentoring program.
MENTORING_GROUPS = {
    "staff": ["mentoring-volunteers"],
    "coordinator": ["mentoring-coordinators"],
    "admin": ["mentoring-admins"],
}
SSO_NAME = "northshore-sso"


class MissingSetting(RuntimeError):
    """Environment variables the intranet cannot run without are not set."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(f"Set the environment variable(s) {', '.join(names)}: see the "
                         "documentation at the top of northshore/config.py.")


def environ(name: str, default: str = "") -> str:
    """The environment variable ``name``, blanks stripped; ``default`` when unset or empty."""
    return os.environ.get(name, "").strip() or default


class Config:
    """Production: PostgreSQL, single sign-on, Secure cookies; nothing has a default."""

    #: Checked by ``create_app`` before anything else, so that one message names them all.
    REQUIRED_ENVIRONMENT = ("BANK_SECRET_KEY", "BANK_DATABASE_URL", "BANK_OIDC_ISSUER",
                            "BANK_OIDC_CLIENT_ID", "BANK_OIDC_CLIENT_SECRET")

    SESSION_COOKIE_NAME = "northshore_intranet"
    SESSION_COOKIE_SAMESITE = "Lax"
    BANK_ALLOW_LOOPBACK_HTTP_IDP = False

    # The mentoring kit: under the intranet's Community section, dressed in its layout.
    KIT_URL_PREFIX = "/community/mentoring"
    KIT_BASE_TEMPLATE = "northshore/layout.html"
    KIT_PROGRAM_NAME = {"en": "Newcomer Career Mentoring",
                        "fr": "Mentorat professionnel des nouveaux arrivants"}
    KIT_BLUEPRINTS = ["staff", "coordinator", "agency", "newcomer", "admin"]
    KIT_TIMEZONE = "America/Moncton"
    KIT_ROLE_GROUPS = MENTORING_GROUPS
    KIT_MAIL_SENDER = "mentoring@northshore.example"

    @property
    def SECRET_KEY(self) -> str:
        return environ("BANK_SECRET_KEY")

    @property
    def SQLALCHEMY_DATABASE_URI(self) -> str:
        return environ("BANK_DATABASE_URL")

    @property
    def BANK_TRUSTED_PROXIES(self) -> int:
        return int(environ("BANK_TRUSTED_PROXIES", "0"))

    @property
    def KIT_AUTH_PROVIDERS(self) -> list[dict[str, Any]]:
        return [single_sign_on(allow_loopback_http=self.BANK_ALLOW_LOOPBACK_HTTP_IDP)]


def single_sign_on(*, allow_loopback_http: bool = False) -> dict[str, Any]:
    """The kit's 'oidc' provider for the bank's IdP, read from the BANK_OIDC_* variables.

    Register the redirect URI ``https://<intranet>/community/mentoring/sign-in/sso/
    northshore-sso/callback`` at the IdP, and have it put the person's groups in the id_token
    (claim 'groups' unless BANK_OIDC_GROUPS_CLAIM names another, such as Entra ID's 'roles').
    """
    return {
        "type": "oidc",
        "name": SSO_NAME,
        "title": {"en": "Sign in with your Northshore account",
                  "fr": "Se connecter avec votre compte Northshore"},
        "issuer": environ("BANK_OIDC_ISSUER"),
        "client_id": environ("BANK_OIDC_CLIENT_ID"),
        "client_secret": environ("BANK_OIDC_CLIENT_SECRET"),
        "scopes": ["openid", "email", "profile"],
        "claims": {"groups": environ("BANK_OIDC_GROUPS_CLAIM", "groups"),
                   "department": "department"},
        "ca_file": environ("BANK_OIDC_CA_FILE") or None,
        # http:// is refused for an IdP, except on this machine in development and tests.
        "allow_insecure_loopback": allow_loopback_http,
    }


class DevelopmentConfig(Config):
    """On a developer's machine: SQLite unless told otherwise, a local IdP over plain HTTP."""

    REQUIRED_ENVIRONMENT = ("BANK_OIDC_ISSUER", "BANK_OIDC_CLIENT_ID", "BANK_OIDC_CLIENT_SECRET")

    DEBUG = True
    BANK_ALLOW_LOOPBACK_HTTP_IDP = True
    # Served over plain HTTP on 127.0.0.1; production keeps Secure cookies.
    KIT_SECURE_COOKIES = False
    KIT_MAIL_BACKEND = "console"

    @property
    def SECRET_KEY(self) -> str:
        # A fresh key per run: sessions end when the server restarts, which development accepts.
        return environ("BANK_SECRET_KEY") or secrets.token_hex(32)

    @property
    def SQLALCHEMY_DATABASE_URI(self) -> str:
        # A relative SQLite path lives in the app's instance folder.
        return environ("BANK_DATABASE_URL", "sqlite:///northshore-dev.sqlite")


class TestingConfig(DevelopmentConfig):
    """For the test suite: the database and the IdP come from the environment the test sets."""

    DEBUG = False
    TESTING = True
    # Like production: the test client sends Secure cookies to http://localhost as well.
    KIT_SECURE_COOKIES = True


CONFIGS: dict[str, type[Config]] = {
    "production": Config,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
