"""Per-application state of the kit, kept in ``app.extensions["kit"]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

if TYPE_CHECKING:
    from flask_sqlalchemy import SQLAlchemy

    from kit.auth.registry import ProviderEntry
    from kit.i18n import KitDomain
    from kit.services.staff_accounts import RoleGroups
    from kit.services.throttle import ThrottleRules

EXTENSION_KEY = "kit"


@dataclass
class KitState:
    """What the kit knows about one application; two apps never share one."""

    config: dict[str, Any]
    db: SQLAlchemy
    translations: KitDomain
    owns_db: bool
    blueprints: tuple[str, ...]
    providers: tuple[ProviderEntry, ...]
    role_groups: RoleGroups
    throttle_rules: ThrottleRules


def get_state(app: Flask | None = None) -> KitState:
    """Return the kit's state for ``app`` (default: the current app).

    Raises a :class:`RuntimeError` that says what to do when the kit was not initialised.
    """
    app = app or current_app
    try:
        return app.extensions[EXTENSION_KEY]
    except KeyError:
        raise RuntimeError(
            "The mentoring kit is not initialised on this application: "
            "call MentoringKit().init_app(app) in the app factory first."
        ) from None
