"""The HTTP side of the API's guard: API keys, the rate limit and idempotent retries.

The API authenticates with ``Authorization: Bearer <key>`` only. It never reads the cookie
session and so needs no CSRF token: a browser cannot attach a bearer key to a forged request.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, jsonify, request, url_for

from kit.auth.permissions import PERMISSION_ATTRIBUTE
from kit.blueprints.api.errors import ApiError
from kit.blueprints.api.payload import raw_body, too_large
from kit.db import db_session
from kit.i18n import lazy_gettext as _l
from kit.models.agencies import API_SCOPES
from kit.services.agency_accounts import verify_api_key
from kit.services.api_guard import (
    IdempotencyError,
    Replay,
    complete_idempotency_key,
    count_request,
    reserve_idempotency_key,
)
from kit.services.audit import Actor
from kit.state import get_state

SCOPE_ATTRIBUTE = "kit_api_scope"
#: Where the request keeps (key id, agency id): not in g, which can outlive a request.
KEY_KEY = "kit.api.key"
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,100}")

View = TypeVar("View", bound=Callable[..., Any])


def requires_key(scope: str) -> Callable[[View], View]:
    """Declare that a view needs an API key with ``scope``.

    The key is checked by :func:`authenticate` (a ``before_request`` hook) rather than by
    ``@requires``, which reads the cookie session; the declaration still marks the view for the
    deny-by-default walk: agencies, through their keys.
    """
    if scope not in API_SCOPES:
        raise ValueError(f"unknown scope {scope!r}; choose from {API_SCOPES}")

    def decorate(view: View) -> View:
        setattr(view, PERMISSION_ATTRIBUTE, ("agency",))
        setattr(view, SCOPE_ATTRIBUTE, scope)
        return view

    return decorate


def authenticate() -> None:
    """``before_request``: check the key and its scope, count the request, refuse big bodies."""
    view = current_app.view_functions.get(request.endpoint or "")
    scope = getattr(view, SCOPE_ATTRIBUTE, None)
    if scope is None:
        return  # a public view (the OpenAPI document), or one refused as undeclared
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented:
        raise ApiError(401, "unauthorized")
    db = db_session()
    key = verify_api_key(db, presented, scope)
    if key is None:
        if any(verify_api_key(db, presented, other) for other in API_SCOPES if other != scope):
            db.rollback()
            raise ApiError(403, "insufficient_scope",
                           _l("This API key does not have the scope %(scope)s.", scope=scope))
        raise ApiError(401, "invalid_key", _l("This API key is not valid or was revoked."))
    request.environ[KEY_KEY] = (key.id, key.agency_id)
    count, seconds_left = count_request(db, key.id)
    db.commit()  # the count and the key's last use stand even if the request fails
    if count > get_state().config["KIT_API_RATE_LIMIT"]:
        raise ApiError(429, "rate_limited", headers={"Retry-After": str(seconds_left)})
    if (request.content_length or 0) > get_state().config["KIT_API_MAX_BODY_BYTES"]:
        raise too_large()


def agency_id() -> int:
    """The agency whose key made this request."""
    return int(request.environ[KEY_KEY][1])


def actor() -> Actor:
    """The audit log's view of the caller: the agency, through its system's key."""
    return Actor("agency", None, request.remote_addr, api_key_id=int(request.environ[KEY_KEY][0]))


def respond(status: int, body: Any) -> Response:
    """A JSON answer; a created referral carries its address in ``Location``."""
    response = jsonify(body)
    response.status_code = status
    if status == 201 and isinstance(body, dict) and "id" in body:
        response.headers["Location"] = url_for("kit_api.referral", referral_id=body["id"])
    return response


def idempotent(work: Callable[[], tuple[int, Any]]) -> Response:
    """Run ``work`` (which flushes, never commits) once per ``Idempotency-Key``, and commit.

    The key is reserved before the work in the same transaction, so two requests with one key
    never both do the work: the second waits for the first and replays its answer. Only
    successful answers are stored; a failed request frees the key (its changes roll back).
    """
    db = db_session()
    key = request.headers.get("Idempotency-Key")
    if key is None:
        status, body = work()
        db.commit()
        return respond(status, body)
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise ApiError(400, "invalid_idempotency_key",
                       _l("Idempotency-Key must be 1 to 100 visible ASCII characters."))
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode() + raw_body())
    try:
        reserved = reserve_idempotency_key(db, int(request.environ[KEY_KEY][0]), key,
                                           digest.hexdigest())
    except IdempotencyError as error:
        if error.code == "idempotency_key_reused":
            raise ApiError(422, error.code, _l(
                "This Idempotency-Key was already used for a different request.")) from None
        raise ApiError(409, error.code, _l(  # pragma: no cover - see the service
            "A request with this Idempotency-Key is still in progress.")) from None
    if isinstance(reserved, Replay):
        response = respond(reserved.status_code, reserved.body)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    status, body = work()
    complete_idempotency_key(reserved, status, body)
    db.commit()
    return respond(status, body)
