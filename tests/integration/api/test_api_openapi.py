"""The OpenAPI 3.1 document: well formed, current, and covering every route of the API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import Flask
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from api.support import BASE
from kit.blueprints.api.spec import build_document, render
from kit.blueprints.api.views import CATCH_ALL
from kit.schemas.referral import FIELDS, ReferralForm

SHIPPED = Path(__file__).parents[3] / "kit" / "api" / "openapi.json"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_the_shipped_document_is_current() -> None:
    assert SHIPPED.read_text("utf-8") == render(), (
        "kit/api/openapi.json is stale: run python -m kit.blueprints.api.spec")


def test_the_document_is_structurally_valid_openapi_3_1() -> None:
    document = json.loads(SHIPPED.read_text("utf-8"))
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        **document["components"]["securitySchemes"]["bearerAuth"],
        "type": "http", "scheme": "bearer"}
    operation_ids = []
    for path, item in document["paths"].items():
        assert path.startswith("/")
        for method, operation in item.items():
            if method not in METHODS:
                continue
            assert operation["responses"], (path, method)
            assert all(re.fullmatch(r"[1-5][0-9][0-9]", status)
                       for status in operation["responses"])
            operation_ids.append(operation["operationId"])
            for name in re.findall(r"{(\w+)}", path):
                parameters = [_resolve(document, p["$ref"]) if "$ref" in p else p
                              for p in item.get("parameters", []) + operation["parameters"]]
                assert any(p["name"] == name and p["in"] == "path" and p["required"]
                           for p in parameters), (path, name)
    assert len(operation_ids) == len(set(operation_ids))
    refs = _refs(document)
    assert refs
    for ref in refs:
        assert _resolve(document, ref) is not None, ref


def test_every_route_of_the_api_is_documented(app: Flask) -> None:
    document = build_document()
    routes = [rule for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("kit_api.") and rule.endpoint != CATCH_ALL]
    assert len(routes) >= 8
    for rule in routes:
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(BASE))
        assert path in document["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in document["paths"][path], (path, method)


def test_every_operation_lists_the_errors_it_can_give() -> None:
    paths = build_document()["paths"]
    assert {"400", "401", "403", "413", "415", "422", "429", "500"} <= set(
        paths["/referrals"]["post"]["responses"])
    assert {"404", "409"} <= set(paths["/referrals/{referral_id}"]["put"]["responses"])
    assert "404" in paths["/referrals/{referral_id}"]["get"]["responses"]
    assert paths["/openapi.json"]["get"]["security"] == []


def test_the_input_schema_has_the_forms_rules() -> None:
    schema = build_document()["components"]["schemas"]["ReferralInput"]
    assert set(schema["properties"]) == {*FIELDS, "submit"}
    assert schema["additionalProperties"] is False
    for name in FIELDS:
        unbound = getattr(ReferralForm, name)
        validators = unbound.kwargs.get("validators") or []
        prop = schema["properties"][name]
        needed = any(isinstance(v, DataRequired | InputRequired) for v in validators)
        assert (name in schema["required"]) == (needed and "default" not in prop), name
        for validator in validators:
            if isinstance(validator, Length) and validator.max > 0:
                assert prop["maxLength"] == validator.max, name
            if isinstance(validator, NumberRange):
                assert (prop["minimum"], prop["maximum"]) == (validator.min, validator.max)
    assert schema["properties"]["email"]["format"] == "email"
    assert schema["properties"]["consent"]["const"] is True
    assert "work_permit" in schema["properties"]["immigration_status"]["enum"]
