"""Configuration of the Port Alder intranet, one class per way of running it.

Secrets never live in this file: ``SECRET_KEY`` comes from the ``CITYHALL_SECRET_KEY``
environment variable. Only the demo may run without one; it then makes up a random key at
start-up (sessions end when the server restarts, which a demo can live with).
"""

from __future__ import annotations

import os


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
    """The demo: seeded people, and a sign-in page that lets anyone become any of them."""

    KIT_DEMO_MODE = True
    KIT_DEV_SIGN_IN = True
    # The demo is served over plain HTTP on 127.0.0.1; production keeps Secure cookies.
    KIT_SECURE_COOKIES = False
    KIT_DATABASE_URI = os.environ.get("CITYHALL_DATABASE_URL", "sqlite:///cityhall-demo.sqlite")


class TestingConfig(DemoConfig):
    """For the test suite: a throwaway key; tests pass their own database URI."""

    TESTING = True
    SECRET_KEY = "cityhall-tests-only"  # noqa: S105 - not a secret, used by tests alone


CONFIGS: dict[str, type[Config]] = {
    "default": Config,
    "demo": DemoConfig,
    "testing": TestingConfig,
}
