"""Northshore Credit Union's staff intranet, which embeds the mentoring kit.

The intranet had its models, pages and layout before the kit came; the kit joined on the same
database (its tables are ``kit_*``) under ``/community/mentoring``, with the bank's single
sign-on. Run it with ``flask --app 'northshore:create_app("development")' run`` (README.md).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from northshore.config import CONFIGS, Config, MissingSetting, environ
from northshore.extensions import db, kit

__all__ = ["create_app", "db", "kit"]


def create_app(config: str | type[Config] | Config = "production") -> Flask:
    """Build the intranet.

    ``config`` is a name from :data:`northshore.config.CONFIGS` ("production", "development",
    "testing"), or a config class or object.
    A setting that only the environment can give (a secret, the database, the IdP) stops
    start-up with a message that names the variable.
    """
    app = Flask(__name__, instance_relative_config=True)
    if isinstance(config, str):
        config = CONFIGS[config]
    missing = [name for name in config.REQUIRED_ENVIRONMENT if not environ(name)]
    if missing:
        raise MissingSetting(missing)
    # An instance, so that the properties read the environment now.
    app.config.from_object(config() if isinstance(config, type) else config)

    if app.config.get("BANK_TRUSTED_PROXIES"):
        # Behind the bank's load balancer: the SSO redirect URI must say https://intranet...
        hops = app.config["BANK_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from northshore import cli, models, views  # noqa: F401 - models registers the tables
    from northshore.i18n import init_i18n

    db.init_app(app)
    init_i18n(app)
    # After db.init_app: the kit's tables share the intranet's database, engine and session.
    kit.init_app(app, db=db)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.bank_cli)
    return app
