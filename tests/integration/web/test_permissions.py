"""Deny by default: every kit endpoint declares who may call it."""

from __future__ import annotations

from conftest import sign_in_as
from flask import Flask

from kit.auth.permissions import PERMISSION_ATTRIBUTE, ROLES


def kit_endpoints(app: Flask) -> list[str]:
    return sorted(
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in app.blueprints
        and app.blueprints[rule.endpoint.split(".")[0]].import_name.startswith("kit.")
    )


def test_every_kit_endpoint_declares_a_permission(app: Flask) -> None:
    endpoints = kit_endpoints(app)
    assert len(endpoints) >= 10
    undeclared = []
    for endpoint in endpoints:
        if endpoint.endswith(".static"):
            continue
        permission = getattr(app.view_functions[endpoint], PERMISSION_ATTRIBUTE, None)
        if permission != "public" and not (isinstance(permission, tuple)
                                           and set(permission) <= set(ROLES)):
            undeclared.append(endpoint)
    assert undeclared == []


def test_a_view_without_a_declaration_is_refused(app: Flask, client) -> None:
    app.blueprints["kit_staff"]  # the rule below joins the kit's staff blueprint
    app.add_url_rule("/mentoring/staff/forgotten", "kit_staff.forgotten", lambda: "secret")
    assert client.get("/mentoring/staff/forgotten").status_code == 403


def test_role_pages_refuse_other_roles(client, factory, db) -> None:
    user = factory.agency_user()
    db.commit()
    sign_in_as(client, "agency", user.id)
    for path in ("/mentoring/staff/", "/mentoring/coordinator/", "/mentoring/newcomer/"):
        assert client.get(path).status_code == 403, path


def test_a_forged_session_identity_is_ignored(client) -> None:
    sign_in_as(client, "staff", 999_999)
    assert client.get("/mentoring/staff/").status_code == 302
    with client.session_transaction() as session:
        session["kit_identity"] = {"kind": "root", "id": 1}
    assert client.get("/mentoring/staff/").status_code == 302
