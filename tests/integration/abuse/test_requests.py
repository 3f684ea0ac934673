"""Forged, oversized and injected requests: 400, 413, and SQL that stays text.

Every POST address of the kit's web pages (found in ``app.url_map``, so new ones are covered)
refuses a request without its CSRF token with 400 and a body larger than a form needs with 413;
the API answers a body over ``KIT_API_MAX_BODY_BYTES`` with a JSON 413. SQL in search and filter
parameters of every page changes no row and fails no request.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from abuse_support import (
    Program,
    forms_of,
    html_pages,
    local_path,
    program_on_db,
    role_of,
    rule_path,
    signed_client,
)
from sqlalchemy import func, select, text

from kit import get_state
from kit.blueprints import FORM_MAX_BYTES
from kit.models import Base

SQL = ("' OR '1'='1", "1; DROP TABLE kit_referral; --", "%' UNION SELECT password FROM x --",
       "1 AND pg_sleep(5)", "\\'; SELECT 1; --")
#: Tables a GET may write to: the audit log of personal data viewed, and API bookkeeping.
WRITTEN_BY_READS = ("audit", "api_request", "api_key")
#: A sign-in form names its provider: an LDAP directory that is never reached.
DIRECTORY = {"type": "ldap", "name": "city", "title": "City account",
             "uris": ["ldap://127.0.0.1:9"], "base_dn": "dc=city,dc=example",
             "network_timeout": 1, "operation_timeout": 1}
#: Signing out needs no token on purpose: a stale form still signs out (see the view).
TOKEN_NOT_NEEDED = frozenset({"kit.sign_out"})


@pytest.fixture(scope="module")
def program(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Program]:
    with program_on_db(request, tmp_path_factory,
                 KIT_AUTH_PROVIDERS=[DIRECTORY], KIT_UPLOAD_MAX_BYTES=100_000) as built:
        yield built


def _post_rules(program: Program) -> list[tuple[str, str, str | None]]:
    """(endpoint, path, role) of every POST address of the kit's web blueprints."""
    app = program.app
    rules = []
    for rule in app.url_map.iter_rules():
        blueprint = app.blueprints.get(rule.endpoint.partition(".")[0])
        if (blueprint is None or not blueprint.import_name.startswith("kit.")
                or rule.endpoint.startswith("kit_api.") or "POST" not in (rule.methods or ())):
            continue
        rules.append((rule.endpoint, rule_path(program, rule.endpoint, rule.rule),
                      role_of(app, rule.endpoint)))
    return sorted(rules)


def test_every_form_refuses_a_post_without_its_csrf_token(program: Program) -> None:
    rules = _post_rules(program)
    assert len(rules) >= 15
    accepted, refused = [], 0
    for endpoint, path, role in rules:
        client = signed_client(program, role)
        response = client.post(path, data={"name": "Forged", "note": "forged", "confirm": "y"})
        if endpoint in TOKEN_NOT_NEEDED:
            assert response.status_code == 302, endpoint
        elif response.status_code == 400:
            refused += 1
        elif response.status_code != 404:  # nothing at this address (a stand-in token)
            accepted.append(f"{endpoint} {path}: {response.status_code}")
    assert accepted == [], "\n".join(accepted)
    assert refused >= len(rules) // 2


def test_every_form_refuses_an_oversized_body(program: Program) -> None:
    refused = []
    for endpoint, path, role in _post_rules(program):
        client = signed_client(program, role)
        body = "note=" + "x" * (FORM_MAX_BYTES + 1)
        response = client.post(path, data=body,
                               content_type="application/x-www-form-urlencoded")
        if response.status_code not in (413, 404):  # 404: refused before the body is read
            refused.append(f"{endpoint}: {response.status_code}")
    assert refused == [], "\n".join(refused)


def test_a_file_sent_to_a_text_form_is_refused_by_its_size(program: Program) -> None:
    boundary = "kitboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    body += b"0" * (FORM_MAX_BYTES + 1) + f"\r\n--{boundary}--\r\n".encode()
    response = signed_client(program, "staff").post(
        "/mentoring/staff/volunteer", data=body,
        content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "larger than this page accepts" in response.get_data(as_text=True)


def test_the_api_refuses_an_oversized_body_in_json(program: Program) -> None:
    client = program.app.test_client()
    limit = program.app.config["KIT_API_MAX_BODY_BYTES"]
    response = client.post("/mentoring/api/v1/referrals",
                           data=json.dumps({"career_goal": "x" * limit}),
                           headers={"Authorization": f"Bearer {program.api_secret}"},
                           content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def _row_counts(program: Program) -> dict[str, int]:
    with program.app.app_context():
        db = get_state().db.session
        counts = {table.name: db.scalar(select(func.count()).select_from(table))
                  for table in Base.metadata.sorted_tables
                  if not any(word in table.name for word in WRITTEN_BY_READS)}
        db.remove()
        return counts


def _get_form_targets(program: Program) -> list[tuple[str, str, list[str]]]:
    """(role, path, parameter names): every GET form's fields, and the search endpoints."""
    targets = [("agency", "/mentoring/agency/occupations", ["q", "lang"]),
               ("staff", "/mentoring/staff/occupations", ["q", "lang"])]
    for _endpoint, path, role in html_pages(program):
        page = signed_client(program, role).get(path)
        if page.mimetype != "text/html":
            continue
        for form in forms_of(page.get_data(as_text=True), path):
            names = [name for _kind, name, _v in form.fields] + list(form.selects)
            if form.method == "get" and names:
                targets.append((role, local_path(form.action), names))
        targets.append((role, path, ["page", "sort", "status", "q"]))
    return targets


def test_sql_in_search_and_filter_parameters_is_only_text(program: Program) -> None:
    targets = _get_form_targets(program)  # opening every page once: some fill defaults
    before = _row_counts(program)
    assert any(path.endswith("/coordinator/referrals") and len(names) > 1
               for _role, path, names in targets), "the referral queue's filters were not found"
    failures = []
    for role, path, names in targets:
        client = signed_client(program, role)
        for value in SQL:
            response = client.get(path.split("?")[0], query_string={n: value for n in names})
            if response.status_code >= 500:
                failures.append(f"{path} {value!r}: {response.status_code}")
    assert failures == []
    assert _row_counts(program) == before
    with program.app.app_context():  # the tables the payloads name are still there
        get_state().db.session.execute(text("SELECT count(*) FROM kit_referral"))
