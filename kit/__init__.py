"""The mentoring kit: embeddable Flask blueprints for an employer-hosted mentoring program.

A host application mounts the kit in its factory::

    from kit import MentoringKit

    kit = MentoringKit()

    def create_app():
        app = Flask(__name__)
        app.config.from_mapping(KIT_URL_PREFIX="/mentoring", KIT_BASE_TEMPLATE="layout.html")
        kit.init_app(app)          # or kit.init_app(app, db=host_db)
        return app
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from kit.config import ConfigError, load_config
from kit.state import EXTENSION_KEY, KitState, get_state

__all__ = ["ConfigError", "MentoringKit", "get_state"]
__version__ = "0.1.0"


class MentoringKit:
    """The Flask extension. It keeps no reference to an app: state lives in the app."""

    def __init__(self, app: Flask | None = None, db: SQLAlchemy | None = None) -> None:
        if app is not None:
            self.init_app(app, db=db)

    def init_app(self, app: Flask, db: SQLAlchemy | None = None) -> None:
        """Validate ``KIT_*`` settings, wire the database, translations, blueprints and CLI.

        ``db`` is the host's Flask-SQLAlchemy instance, already initialised on ``app``; without
        it the kit uses the host's instance if there is one, else its own (``KIT_DATABASE_URI``).
        Raises :class:`ConfigError` naming the key when a setting is wrong.
        """
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError(
                "The mentoring kit is already initialised on this app; call init_app once per app."
            )
        if not app.secret_key:
            raise ConfigError(
                "SECRET_KEY is not set: the kit signs sessions, forms and newcomer links with it."
            )
        config = load_config(app.config)
        app.config.update(config)
        if config["KIT_SECURE_COOKIES"]:
            app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True)
            if app.config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
                app.config["SESSION_COOKIE_SAMESITE"] = "Lax"

        from kit.auth.registry import build_providers
        from kit.blueprints import register_blueprints
        from kit.cli import kit_cli
        from kit.db import init_db
        from kit.i18n import init_babel
        from kit.services.staff_accounts import RoleGroups
        from kit.services.throttle import ThrottleRules
        from kit.templating import init_templating

        database, owns_db = init_db(app, db, config["KIT_DATABASE_URI"])
        state = KitState(
            config=config,
            db=database,
            translations=init_babel(app, config),
            owns_db=owns_db,
            blueprints=config["KIT_BLUEPRINTS"],
            providers=build_providers(config["KIT_AUTH_PROVIDERS"]),
            role_groups=RoleGroups.from_mapping(config["KIT_ROLE_GROUPS"]),
            throttle_rules=ThrottleRules(
                per_account=config["KIT_SIGN_IN_MAX_FAILURES"],
                per_address=config["KIT_SIGN_IN_MAX_FAILURES_PER_ADDRESS"],
                window=timedelta(minutes=config["KIT_SIGN_IN_LOCKOUT_MINUTES"]),
            ),
        )
        app.extensions[EXTENSION_KEY] = state
        init_templating(app)
        register_blueprints(app, config)
        app.cli.add_command(kit_cli)
