"""The kit's blueprints, built per application from its configuration."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, render_template

from kit.auth.permissions import refuse_undeclared
from kit.i18n import gettext as _
from kit.state import get_state
from kit.templating import kit_template_context


def _error_page(code: int, title: str, message: str) -> Any:
    return render_template("kit/error.html", code=code, title=title, message=message), code


def security_headers(response: Response) -> Response:
    """Headers every kit response carries; the host's own pages are left as they are."""
    config = get_state().config
    policy = config["KIT_CONTENT_SECURITY_POLICY"]
    if policy and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = (
            f"{policy}; frame-ancestors {config['KIT_FRAME_ANCESTORS']}")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if config["KIT_FRAME_ANCESTORS"].strip() == "'none'":
        response.headers.setdefault("X-Frame-Options", "DENY")
    elif config["KIT_FRAME_ANCESTORS"].strip() == "'self'":
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


def prepare(blueprint: Blueprint) -> Blueprint:
    """Give a kit blueprint deny-by-default, security headers, the kit's template context
    and error pages."""
    blueprint.before_request(refuse_undeclared)
    blueprint.after_request(security_headers)
    blueprint.context_processor(kit_template_context)
    blueprint.register_error_handler(
        403, lambda _e: _error_page(403, _("Not allowed"),
                                    _("Your account does not give access to this page.")))
    blueprint.register_error_handler(
        404, lambda _e: _error_page(404, _("Not found"),
                                    _("This page does not exist or is no longer available.")))
    return blueprint


def register_blueprints(app: Flask, config: dict[str, Any]) -> None:
    """Mount the core blueprint and the optional ones the host asked for."""
    from kit.blueprints import admin, agency, api, coordinator, core, newcomer, staff

    factories = {
        "staff": staff.create_blueprint,
        "coordinator": coordinator.create_blueprint,
        "agency": agency.create_blueprint,
        "newcomer": newcomer.create_blueprint,
        "admin": admin.create_blueprint,
        "api": api.create_blueprint,
    }
    prefix = config["KIT_URL_PREFIX"]
    app.register_blueprint(prepare(core.create_blueprint()), url_prefix=prefix or None)
    for name in config["KIT_BLUEPRINTS"]:
        if name == "api":
            # The API answers in JSON only: it brings its own error handlers and deny-by-default.
            app.register_blueprint(factories[name](), url_prefix=f"{prefix}/api/v1")
            continue
        app.register_blueprint(prepare(factories[name]()), url_prefix=f"{prefix}/{name}")
