"""The City of Port Alder's staff intranet: a small host application that embeds the kit.

Run the demo with ``flask --app 'cityhall:create_app("demo")' kit demo`` (see README.md).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

from cityhall.config import CONFIGS, Config
from kit import MentoringKit

#: The host's choice: one extension object at module level, bound to each app in the factory.
kit = MentoringKit()
log = logging.getLogger(__name__)


def create_app(config: str | type[Config] | Mapping[str, Any] | None = None) -> Flask:
    """Build the intranet app.

    ``config`` is a name from :data:`cityhall.config.CONFIGS` ("default", "demo", "testing"),
    a config class, or a mapping of settings applied over the default configuration.
    """
    app = Flask(__name__, instance_relative_config=True)
    if config is None or isinstance(config, str):
        app.config.from_object(CONFIGS[config or "default"])
    elif isinstance(config, Mapping):
        app.config.from_object(Config)
        app.config.update(config)
    else:
        app.config.from_object(config)

    if not app.config.get("SECRET_KEY"):
        if not app.config.get("KIT_DEMO_MODE"):
            raise RuntimeError(
                "Set the CITYHALL_SECRET_KEY environment variable: the intranet signs its "
                "sessions with it."
            )
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        log.warning("CITYHALL_SECRET_KEY is not set: using a random key for this demo run; "
                    "sessions end when the server restarts.")

    from cityhall import views
    from cityhall.i18n import init_i18n

    kit.init_app(app)
    init_i18n(app)
    app.register_blueprint(views.bp)
    return app
