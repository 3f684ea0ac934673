"""Reading a request body: size, content type, JSON, and a referral checked by ReferralForm.

JSON types are checked here (a form only sees text); every other rule, and its translated
message, is the referral form's, the same the web page shows.
"""

from __future__ import annotations

import json
from typing import Any

from flask import request
from wtforms import BooleanField, IntegerField

from kit.blueprints.api.errors import ApiError
from kit.i18n import lazy_gettext as _l
from kit.schemas.referral import FIELDS, ReferralForm, formdata_from_json, profile_from_form
from kit.state import get_state

BODY_KEY = "kit.api.body"
TYPE_MESSAGES = {
    "string": _l("Expected text."),
    "integer": _l("Expected a whole number."),
    "boolean": _l("Expected true or false."),
    "languages": _l("Expected a list of two-letter language codes."),
}


def max_body_bytes() -> int:
    """The largest body the API reads (``KIT_API_MAX_BODY_BYTES``)."""
    return int(get_state().config["KIT_API_MAX_BODY_BYTES"])


def too_large() -> ApiError:
    """The 413 answer, naming the limit."""
    return ApiError(413, "payload_too_large",
                    _l("The request body is larger than %(limit)d bytes.",
                       limit=max_body_bytes()))


def raw_body() -> bytes:
    """The request body, read once and never beyond the size limit."""
    # Kept in the WSGI environ, not in g: an app context can outlive one request.
    if BODY_KEY not in request.environ:
        limit = max_body_bytes()
        if (request.content_length or 0) > limit:
            raise too_large()
        # Read one byte more than allowed: a body without Content-Length cannot slip through.
        data = request.stream.read(limit + 1)
        if len(data) > limit:
            raise too_large()
        request.environ[BODY_KEY] = data
    return request.environ[BODY_KEY]


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def json_object(*, optional: bool = False) -> dict[str, Any]:
    """The body as a JSON object; an empty body is ``{}`` when ``optional``."""
    data = raw_body()
    if optional and not data.strip():
        return {}
    if not request.mimetype or not (request.mimetype == "application/json"
                                    or request.mimetype.endswith("+json")):
        raise ApiError(415, "unsupported_media_type")
    try:
        payload = json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", _l("The body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_body", _l("The body must be a JSON object.")) from None
    return payload


def field_kind(name: str) -> str:
    """The JSON type of a referral field: 'string', 'integer', 'boolean' or 'languages'."""
    if name == "languages":
        return "languages"
    field = getattr(ReferralForm, name)
    if field.field_class is IntegerField:
        return "integer"
    if field.field_class is BooleanField:
        return "boolean"
    return "string"


def field_default(name: str) -> Any:
    """The value a missing field takes (the web form's preselected choice), or None."""
    default = getattr(ReferralForm, name).kwargs.get("default")
    return default if default not in (None, "") else None


def _type_ok(kind: str, value: Any) -> bool:
    if value is None:
        return True
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "languages":
        return isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(item, str) for item in value))
    return isinstance(value, str)


def boolean_option(payload: dict[str, Any], name: str, default: bool) -> bool:
    """Remove and return a boolean option of the body (such as ``submit``)."""
    value = payload.pop(name, default)
    if not isinstance(value, bool):
        raise ApiError(422, "invalid_referral", _l("The referral has errors: see the fields."),
                       fields={name: [TYPE_MESSAGES["boolean"]]})
    return value


def referral_form(payload: dict[str, Any], *, need_consent: bool = True) -> ReferralForm:
    """A validated :class:`ReferralForm` for a JSON body; ApiError 400 or 422 otherwise."""
    data, unknown = formdata_from_json(payload)
    if unknown:
        raise ApiError(400, "unknown_field",
                       _l("Unknown fields: %(names)s.", names=", ".join(unknown)),
                       fields={name: [_l("This field is not part of a referral.")]
                               for name in unknown})
    type_errors = {name: [TYPE_MESSAGES[field_kind(name)]] for name in FIELDS
                   if not _type_ok(field_kind(name), payload.get(name))}
    for name in type_errors:
        data.pop(name, None)
    for name in FIELDS:
        # What the web form preselects (the program language) is the default here too.
        if payload.get(name) is None and field_default(name) is not None:
            data[name] = field_default(name)
    form = ReferralForm(formdata=data, meta={"csrf": False})
    if not need_consent:
        # A preview saves nothing, so it needs no consent to share.
        form.consent.validators = ()
    valid = form.validate()
    if type_errors or not valid:
        fields = {name: list(messages) for name, messages in form.errors.items()
                  if isinstance(messages, list)}
        fields.update(type_errors)
        raise ApiError(422, "invalid_referral", _l("The referral has errors: see the fields."),
                       fields=fields)
    return form


def referral_profile(payload: dict[str, Any], *, need_consent: bool = True) -> dict[str, Any]:
    """The newcomer's profile from a JSON body, validated as the web form validates it."""
    return profile_from_form(referral_form(payload, need_consent=need_consent))
