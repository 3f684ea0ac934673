"""schemathesis against the served OpenAPI document: no 5xx, and every answer fits the schema.

The document is read from the running app (``/mentoring/api/v1/openapi.json``), so what is
tested is what agencies are given. Each operation gets a bounded, derandomized set of examples
(valid and invalid), sent in-process through WSGI with a real key: fast and repeatable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from abuse_support import program_on_db
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import kit

DOCUMENT = "/mentoring/api/v1/openapi.json"
MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection]


@pytest.fixture(scope="module")
def served_api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[Flask, str]]:
    """The abuse tests' program (referrals, occupations) and its agency's read-write key."""
    with program_on_db(request, tmp_path_factory) as program:
        yield program.app, program.api_secret


@pytest.fixture(scope="module")
def api_schema(served_api: tuple[Flask, str]) -> Any:
    """The document as the app serves it."""
    return schemathesis.openapi.from_wsgi(DOCUMENT, served_api[0])


def _operations() -> list[tuple[str, str]]:
    # The shipped file is the served document but for its server address (a test checks it).
    document = json.loads((Path(kit.__file__).parent / "api" / "openapi.json").read_text())
    return [(path, method) for path, item in document["paths"].items()
            for method in item if method in ("get", "post", "put", "delete", "patch")]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["valid", "invalid"])
@pytest.mark.parametrize(("path", "method"), _operations(),
                         ids=[f"{m.upper()} {p}" for p, m in _operations()])
def test_the_api_keeps_its_contract(api_schema: Any, served_api: tuple[Flask, str], path: str,
                                    method: str, mode: GenerationMode) -> None:
    secret = served_api[1]
    operation = api_schema[path][method]

    if mode is GenerationMode.NEGATIVE and path == "/openapi.json":
        pytest.skip("the document takes no input that could be invalid")
    # The key is fixed: invalid cases vary what the agency sends, not whether it has a key.
    auth = {"Authorization": f"Bearer {secret}"}

    @given(case=operation.as_strategy(generation_mode=mode, headers=auth))
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def check(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    check()
