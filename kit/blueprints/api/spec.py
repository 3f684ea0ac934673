"""The OpenAPI 3.1 document of the API, shipped as ``kit/api/openapi.json``.

The referral input schema is derived from ReferralForm (required fields, lengths, ranges,
choices), so the document cannot drift from the rules. After changing the form or the API,
regenerate the file with ``python -m kit.blueprints.api.spec``; a test checks it is current.
"""

from __future__ import annotations

import functools
import json
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

from wtforms import DateField, EmailField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from kit.blueprints.api.payload import field_default, field_kind
from kit.models.referrals import REFERRAL_STATUSES
from kit.schemas.referral import FIELDS, ReferralForm

DOCUMENT_PATH = "api/openapi.json"
ERROR_CODES = {
    "400": ("BadRequest", "invalid_json, invalid_body, unknown_field, invalid_parameter, "
                          "invalid_idempotency_key"),
    "401": ("Unauthorized", "unauthorized (no key), invalid_key (unknown or revoked)"),
    "403": ("Forbidden", "insufficient_scope"),
    "404": ("NotFound", "not_found (also for another agency's referral)"),
    "409": ("Conflict", "not_editable, not_withdrawable"),
    "413": ("PayloadTooLarge", "payload_too_large (KIT_API_MAX_BODY_BYTES)"),
    "415": ("UnsupportedMediaType", "unsupported_media_type"),
    "422": ("Unprocessable", "invalid_referral, invalid_withdrawal, idempotency_key_reused"),
    "429": ("TooManyRequests", "rate_limited (KIT_API_RATE_LIMIT per key and minute)"),
    "500": ("InternalError", "internal_error"),
    "503": ("Unavailable", "unavailable (the database cannot be reached: retry after "
                           "Retry-After seconds)"),
}
READ = ("401", "403", "429", "500", "503")
WRITE = ("400", "401", "403", "413", "415", "422", "429", "500", "503")


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "type": [schema["type"], "null"]}


def _choice_values(choices: Any) -> list[str]:
    """The values of a SelectField's choices, whichever shape WTForms was given."""
    if isinstance(choices, dict):
        return list(choices)
    return [getattr(c, "value", c[0] if isinstance(c, tuple | list) else c) for c in choices]


def _input_property(name: str) -> tuple[dict[str, Any], bool]:
    """The JSON schema of one form field, and whether it is required."""
    unbound = getattr(ReferralForm, name)
    validators = unbound.kwargs.get("validators") or []
    kind = field_kind(name)
    schema: dict[str, Any]
    if kind == "languages":
        code = {"type": "string", "pattern": "^[A-Za-z]{2}$"}
        schema = {"oneOf": [{"type": "array", "items": code},
                            {"type": "string", "description": "Codes separated by commas."},
                            {"type": "null"}]}
    else:
        schema = {"type": kind}
    label = str(unbound.args[0]) if unbound.args else name
    description = unbound.kwargs.get("description")
    schema["description"] = f"{label}. {description}" if description else label
    if name.startswith("clb_"):
        schema["description"] = f"Language benchmark level (CLB or NCLC): {label}"
    for validator in validators:
        if isinstance(validator, Length) and validator.max and validator.max > 0:
            schema["maxLength"] = validator.max
        if isinstance(validator, NumberRange):
            schema["minimum"], schema["maximum"] = validator.min, validator.max
    if unbound.field_class is EmailField:
        schema["format"] = "email"
    if unbound.field_class is DateField:
        schema["format"] = "date"
    if unbound.field_class is SelectField:
        schema["enum"] = [code for code in _choice_values(unbound.kwargs["choices"]) if code]
    if name == "target_noc":
        schema["pattern"] = "^[0-9]{4,5}$"
        schema["description"] += (". A NOC 2021 unit group (5 digits); a NOC 2016 code "
                                   "(4 digits) with one 2021 equivalent is converted.")
    if name == "country_of_education":
        schema["pattern"] = "^[A-Za-z]{2}$"
    required = any(isinstance(v, DataRequired | InputRequired) for v in validators)
    if field_default(name) is not None:
        schema["default"], required = field_default(name), False
    if name == "consent":
        schema["const"] = True
    if not required and kind != "languages":
        schema = _nullable(schema)
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema, required


def referral_input_schema() -> dict[str, Any]:
    """The body of POST and PUT /referrals, as ReferralForm validates it."""
    properties: dict[str, Any] = {}
    required = []
    for name in FIELDS:
        properties[name], needed = _input_property(name)
        if needed:
            required.append(name)
    properties["submit"] = {"type": "boolean", "default": True,
                            "description": "False keeps (or leaves) the referral a draft."}
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}


def _string(nullable: bool = False, **extra: Any) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", **extra}


def _schemas() -> dict[str, Any]:
    newcomer = {name: schema for name, (schema, _req) in
                ((n, _input_property(n)) for n in FIELDS if n != "consent")}
    for name, schema in newcomer.items():
        schema.pop("const", None)
        # Drafts may lack any field and an erased newcomer's fields are all null.
        if "type" in schema and not isinstance(schema["type"], list):
            newcomer[name] = _nullable(schema)
            if "enum" in schema:
                newcomer[name]["enum"] = [*schema["enum"], None]
    newcomer["languages"] = {"type": "array", "items": {"type": "string"}}
    newcomer.update(consent_version=_string(True), consent_given_at=_string(
        True, format="date-time"), erased={"type": "boolean"})
    return {
        "ReferralInput": referral_input_schema(),
        "EligibilityInput": {**referral_input_schema(), "required": [
            n for n in referral_input_schema()["required"] if n != "consent"]},
        "WithdrawalInput": {"type": "object", "additionalProperties": False, "properties": {
            "note": _string(True, maxLength=2000)}},
        "Criterion": {"type": "object", "required": ["criterion", "passed", "detail"],
                      "properties": {
                          "criterion": _string(), "passed": {"type": ["boolean", "null"],
                                                             "description": "null: unknown"},
                          "detail": _string(True)}},
        "HistoryEntry": {"type": "object", "required": ["from", "to", "at", "actor_kind"],
                         "properties": {
                             "from": {"type": ["string", "null"],
                                      "enum": [*REFERRAL_STATUSES, None]},
                             "to": _string(enum=list(REFERRAL_STATUSES)),
                             "at": _string(format="date-time"),
                             "actor_kind": _string(), "note": _string(True)}},
        "Newcomer": {"type": "object", "properties": newcomer},
        "Referral": {"type": "object", "required": [
            "id", "status", "submitted_at", "decided_at", "reason_codes", "decision_note",
            "duplicate_of", "eligibility", "history", "newcomer"], "properties": {
            "id": {"type": "integer"}, "status": _string(enum=list(REFERRAL_STATUSES)),
            "submitted_at": _string(True, format="date-time"),
            "decided_at": _string(True, format="date-time"),
            "reason_codes": {"type": "array", "items": {"type": "string"}},
            "decision_note": _string(True),
            "duplicate_of": {"type": ["integer", "null"], "description":
                             "Another referral of this agency that looks like the same "
                             "person; duplicates in other agencies' referrals are not shown."},
            "eligibility": {"type": "array", "items": _ref("schemas", "Criterion")},
            "history": {"type": "array", "items": _ref("schemas", "HistoryEntry")},
            "newcomer": _ref("schemas", "Newcomer")}},
        "ReferralSummary": {"type": "object", "properties": {
            "id": {"type": "integer"}, "status": _string(enum=list(REFERRAL_STATUSES)),
            "submitted_at": _string(True, format="date-time"),
            "decided_at": _string(True, format="date-time"),
            "newcomer_name": _string(), "target_noc": _string(True)}},
        "ReferralList": {"type": "object", "required": ["items", "total", "page", "per_page",
                                                        "pages"], "properties": {
            "items": {"type": "array", "items": _ref("schemas", "ReferralSummary")},
            "total": {"type": "integer"}, "page": {"type": "integer"},
            "per_page": {"type": "integer", "maximum": 100}, "pages": {"type": "integer"}}},
        "EligibilityPreview": {"type": "object", "properties": {
            "eligibility": {"type": "array", "items": _ref("schemas", "Criterion")},
            "eligible": {"type": "boolean"}}},
        "Occupation": {"type": "object", "properties": {
            "code": _string(pattern="^[0-9]{5}$"), "title": _string(), "title_en": _string(),
            "title_fr": _string(), "teer": {"type": ["integer", "null"]}}},
        "OccupationList": {"type": "object", "properties": {
            "items": {"type": "array", "items": _ref("schemas", "Occupation")}}},
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": _string(description="Stable; act on it."),
                "message": _string(description="Translated (Accept-Language)."),
                "fields": {"type": "object", "additionalProperties": {
                    "type": "array", "items": {"type": "string"}}}}}}},
    }


def _responses() -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, (name, codes) in ERROR_CODES.items():
        response: dict[str, Any] = {
            "description": f"Error codes: {codes}.",
            "content": {"application/json": {"schema": _ref("schemas", "Error")}}}
        if status == "401":
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        if status in ("429", "503"):
            response["headers"] = {"Retry-After": {
                "description": "Seconds to wait.", "schema": {"type": "integer"}}}
        responses[name] = response
    return responses


def _json(description: str, schema: str, headers: dict[str, Any] | None = None
          ) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {
        "application/json": {"schema": _ref("schemas", schema)}}}
    if headers:
        response["headers"] = headers
    return response


def _operation(operation_id: str, summary: str, success: dict[str, dict[str, Any]],
               errors: tuple[str, ...], *, scope: str | None, body: str | None = None,
               body_required: bool = True, idempotent: bool = False,
               parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary}
    params = [_ref("parameters", "AcceptLanguage"), *(parameters or [])]
    if idempotent:
        params.append(_ref("parameters", "IdempotencyKey"))
    operation["parameters"] = params
    if body:
        operation["requestBody"] = {"required": body_required, "content": {
            "application/json": {"schema": _ref("schemas", body)}}}
    operation["responses"] = {**success, **{
        status: _ref("responses", ERROR_CODES[status][0]) for status in sorted(errors)}}
    operation["security"] = [{"bearerAuth": [scope]}] if scope else []
    if scope:
        operation["description"] = f"Needs an API key with the scope `{scope}`."
    return operation


def build_document() -> dict[str, Any]:
    """The OpenAPI document, built from the form and the routes' contracts."""
    replayed = {"Idempotent-Replayed": {"description": "true when this is the stored answer "
                                        "to an earlier request", "schema": {"type": "string"}}}
    referral_id = _ref("parameters", "ReferralId")
    read, write = "referrals:read", "referrals:write"
    list_params = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                       "maximum": 100}},
        {"name": "status", "in": "query", "schema": {"type": "string",
                                                     "enum": list(REFERRAL_STATUSES)}}]
    search_params = [
        {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 100},
         "description": "A code (NOC 2021, or NOC 2016 converted) or words of a title."},
        {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["en", "fr"]}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                    "maximum": 50}}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Mentoring kit agency API", "version": "1.0.0", "description":
                 "Settlement agencies refer newcomers to the employer's mentoring program. "
                 "See docs/api.md."},
        "servers": [{"url": "/mentoring/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/referrals": {
                "get": _operation("listReferrals", "This agency's referrals, newest first",
                                  {"200": _json("A page of referrals", "ReferralList", {
                                      "Link": {"description": "first, prev, next, last pages",
                                               "schema": {"type": "string"}}})},
                                  ("400", *READ), scope=read, parameters=list_params),
                "post": _operation("createReferral", "Refer a newcomer", {
                    "201": _json("The referral", "Referral", {
                        "Location": {"schema": {"type": "string"}}, **replayed})},
                    WRITE, scope=write, body="ReferralInput", idempotent=True)},
            "/referrals/{referral_id}": {
                "parameters": [referral_id],
                "get": _operation("getReferral", "One of this agency's referrals",
                                  {"200": _json("The referral", "Referral")},
                                  ("404", *READ), scope=read),
                "put": _operation("updateReferral", "Correct a draft or referred-back "
                                  "referral and submit it again",
                                  {"200": _json("The referral", "Referral", replayed)},
                                  (*WRITE, "404", "409"), scope=write, body="ReferralInput",
                                  idempotent=True)},
            "/referrals/{referral_id}/withdraw": {
                "parameters": [referral_id],
                "post": _operation("withdrawReferral", "Withdraw a referral",
                                   {"200": _json("The referral", "Referral", replayed)},
                                   (*WRITE, "404", "409"), scope=write, body="WithdrawalInput",
                                   body_required=False, idempotent=True)},
            "/eligibility": {
                "post": _operation("previewEligibility", "Each eligibility criterion's result "
                                   "for a profile, without saving it",
                                   {"200": _json("The results", "EligibilityPreview")},
                                   WRITE, scope=write, body="EligibilityInput")},
            "/occupations": {
                "get": _operation("searchOccupations", "Search NOC 2021 unit groups",
                                  {"200": _json("Matching unit groups", "OccupationList")},
                                  ("400", *READ), scope=read, parameters=search_params)},
            "/openapi.json": {
                "get": _operation("getOpenApi", "This document", {"200": {
                    "description": "The OpenAPI document",
                    "content": {"application/json": {"schema": {"type": "object"}}}}},
                    (), scope=None)},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "An agency API key from the program admin (mk_...)."}},
            "parameters": {
                "ReferralId": {"name": "referral_id", "in": "path", "required": True,
                               "schema": {"type": "integer", "minimum": 1}},
                "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "schema": {
                    "type": "string", "pattern": "^[\\x21-\\x7e]{1,100}$"},
                    "description": "Makes retries safe: the first answer is replayed for 24 h."},
                "AcceptLanguage": {"name": "Accept-Language", "in": "header",
                                   "schema": {"type": "string"},
                                   "description": "Language of error messages (en or fr)."}},
            "schemas": _schemas(),
            "responses": _responses(),
        },
    }


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The shipped document (read once: it never changes while the process runs)."""
    return json.loads(files("kit").joinpath(DOCUMENT_PATH).read_text("utf-8"))


def render() -> str:
    """The document as the file ships it."""
    return json.dumps(build_document(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - maintenance command
    target = Path(__file__).parents[2] / DOCUMENT_PATH
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
