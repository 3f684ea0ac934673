"""Errors of the API: always JSON, with a stable code, a translated message and field messages.

``{"error": {"code": "invalid_referral", "message": "...", "fields": {"email": ["..."]}}}``.
The message follows the request's Accept-Language; programs should act on ``code``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, Response, jsonify
from werkzeug.exceptions import HTTPException

from kit.db import DATABASE_UNREACHABLE, RETRY_AFTER_SECONDS, db_session, release_session
from kit.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

#: The answer to each HTTP error the API can give when no more precise code applies.
STATUS_ERRORS: dict[int, tuple[str, Any]] = {
    400: ("bad_request", _l("The request is not valid.")),
    401: ("unauthorized", _l("An API key is needed: send it as Authorization: Bearer <key>.")),
    403: ("forbidden", _l("This API key does not allow this request.")),
    404: ("not_found", _l("There is nothing here: check the address and the id.")),
    405: ("method_not_allowed", _l("This address does not accept this method.")),
    409: ("conflict", _l("The request conflicts with the referral's current state.")),
    413: ("payload_too_large", _l("The request body is too large.")),
    415: ("unsupported_media_type", _l("Send the body as JSON (Content-Type: application/json).")),
    422: ("unprocessable", _l("The request could not be processed.")),
    429: ("rate_limited", _l("Too many requests with this API key: wait and try again.")),
    500: ("internal_error", _l("Something went wrong on our side; the request was not saved.")),
    503: ("unavailable", _l("The service cannot reach its database right now; try again after "
                            "the number of seconds in Retry-After.")),
}


class ApiError(Exception):
    """An API answer other than success: raised anywhere, rendered by the blueprint."""

    def __init__(self, status: int, code: str, message: Any = None, *,
                 fields: Mapping[str, Sequence[Any]] | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message if message is not None else STATUS_ERRORS[status][1]
        self.fields = fields
        self.headers = dict(headers or {})


def error_body(code: str, message: Any, fields: Mapping[str, Sequence[Any]] | None = None
               ) -> dict[str, Any]:
    """The JSON object of an error (messages translated now, in the request's language)."""
    error: dict[str, Any] = {"code": code, "message": str(message)}
    if fields:
        error["fields"] = {name: [str(m) for m in messages] for name, messages in fields.items()}
    return {"error": error}


def error_response(error: ApiError) -> Response:
    """The response for an :class:`ApiError`."""
    response = jsonify(error_body(error.code, error.message, error.fields))
    response.status_code = error.status
    response.headers.update(error.headers)
    if error.status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="kit-api"')
    return response


def _rollback() -> None:
    # Whatever the failed request had written must not be committed by a later request.
    try:
        db_session().rollback()
    except Exception:  # pragma: no cover - the session itself is broken
        log.exception("rollback after an API error failed")


def _handle_api_error(error: ApiError) -> Response:
    _rollback()
    return error_response(error)


def _handle_http(error: HTTPException) -> Response:
    status = error.code or 500
    code, message = STATUS_ERRORS.get(status, STATUS_ERRORS[400 if status < 500 else 500])
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(error.valid_methods or ()))
    _rollback()
    return error_response(ApiError(status, code, message, headers=headers))


def _handle_unexpected(error: Exception) -> Response:
    # Reached with the original exception when the app does not propagate it: never a traceback.
    original = getattr(error, "original_exception", None) or error
    log.error("API request failed", exc_info=original)
    _rollback()
    code, message = STATUS_ERRORS[500]
    return error_response(ApiError(500, code, message))


def _handle_unreachable(error: Exception) -> Response:
    # The database is down or restarting: a retryable 503, and the pool reconnects by itself.
    log.error("database unreachable, answered 503: %s", getattr(error, "orig", None) or error)
    release_session()
    code, message = STATUS_ERRORS[503]
    return error_response(ApiError(503, code, message,
                                   headers={"Retry-After": str(RETRY_AFTER_SECONDS)}))


def install_error_handlers(blueprint: Blueprint) -> None:
    """Answer every error of ``blueprint`` in JSON (no HTML page, no traceback)."""
    blueprint.register_error_handler(ApiError, _handle_api_error)
    blueprint.register_error_handler(HTTPException, _handle_http)
    for error_class in DATABASE_UNREACHABLE:
        blueprint.register_error_handler(error_class, _handle_unreachable)
    # Looked up before the class above: an unexpected exception arrives as a 500.
    blueprint.register_error_handler(500, _handle_unexpected)
