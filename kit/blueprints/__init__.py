"""The kit's blueprints, built per application from its configuration."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, current_app, make_response, render_template, request

from kit.auth.identity import assume_signed_out
from kit.auth.permissions import refuse_undeclared
from kit.db import DATABASE_UNREACHABLE, RETRY_AFTER_SECONDS, release_session
from kit.i18n import gettext as _
from kit.state import get_state
from kit.templating import kit_template_context

log = logging.getLogger(__name__)
#: The largest body a kit form accepts; a view that takes a file sets its own, larger limit.
FORM_MAX_BYTES = 1024 * 1024


def _error_page(code: int, title: str, message: str) -> Any:
    return render_template("kit/error.html", code=code, title=title, message=message), code


def database_unavailable(error: Exception) -> Response:
    """503 with ``Retry-After`` when the database cannot be reached: a page, not a traceback.

    The page is rendered without the database (the person is shown as signed out); the next
    request gets a fresh connection from the pool, so the app recovers by itself.
    """
    log.error("database unreachable, answered 503: %s", getattr(error, "orig", None) or error)
    release_session()
    assume_signed_out()
    response = make_response(_error_page(
        503, _("Temporarily unavailable"),
        _("The mentoring program cannot reach its database right now. Please try again in a "
          "minute.")))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def limit_form_body() -> None:
    """Refuse (413) a body far larger than any text form needs, before it is read.

    Set per request, never app-wide; a smaller limit the host set stays in force.
    """
    host = current_app.config.get("MAX_CONTENT_LENGTH")
    request.max_content_length = FORM_MAX_BYTES if host is None else min(host, FORM_MAX_BYTES)


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
    blueprint.before_request(limit_form_body)
    blueprint.after_request(security_headers)
    blueprint.context_processor(kit_template_context)
    blueprint.register_error_handler(
        400, lambda _e: _error_page(400, _("The request could not be used"),
                                    _("A form may have been open too long or not come from this "
                                      "site. Go back, reload the page and try again.")))
    blueprint.register_error_handler(
        413, lambda _e: _error_page(413, _("Too much to send"),
                                    _("What you sent is larger than this page accepts. Shorten "
                                      "the text or choose a smaller file.")))
    blueprint.register_error_handler(
        403, lambda _e: _error_page(403, _("Not allowed"),
                                    _("Your account does not give access to this page.")))
    blueprint.register_error_handler(
        404, lambda _e: _error_page(404, _("Not found"),
                                    _("This page does not exist or is no longer available.")))
    for error_class in DATABASE_UNREACHABLE:
        blueprint.register_error_handler(error_class, database_unavailable)
    return blueprint


def register_blueprints(app: Flask, config: dict[str, Any]) -> None:
    """Mount the core blueprint and the optional ones the host asked for."""
    from kit.blueprints import admin, agency, api, coordinator, core, newcomer, reports, staff

    factories = {
        "staff": staff.create_blueprint,
        "coordinator": coordinator.create_blueprint,
        "agency": agency.create_blueprint,
        "newcomer": newcomer.create_blueprint,
        "admin": admin.create_blueprint,
        "api": api.create_blueprint,
        "reports": reports.create_blueprint,
    }
    prefix = config["KIT_URL_PREFIX"]
    app.register_blueprint(prepare(core.create_blueprint()), url_prefix=prefix or None)
    for name in config["KIT_BLUEPRINTS"]:
        if name == "api":
            # The API answers in JSON only: it brings its own error handlers and deny-by-default.
            app.register_blueprint(factories[name](), url_prefix=f"{prefix}/api/v1")
            continue
        app.register_blueprint(prepare(factories[name]()), url_prefix=f"{prefix}/{name}")
