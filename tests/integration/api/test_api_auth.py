"""API keys: bearer only, scopes, revocation; errors are JSON, never HTML or a traceback."""

from __future__ import annotations

import pytest
from conftest import sign_in_as

from api.support import BASE, REFERRAL, api_client, error_of
from kit.auth.permissions import PERMISSION_ATTRIBUTE
from kit.models import AgencyApiKey
from kit.services.agency_accounts import revoke_api_key
from kit.services.audit import SYSTEM


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Basic dXNlcjpwYXNz",
                                           "Bearer mk_00000000_nope", "Bearer " + "x" * 300])
def test_requests_without_a_valid_key_are_refused(api, authorization) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = api.get("/referrals", headers=headers, auth=False)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] in ("unauthorized", "invalid_key")


def test_a_revoked_key_stops_working_at_once(api, db) -> None:
    assert api.get("/referrals").status_code == 200
    key = db.query(AgencyApiKey).one()
    revoke_api_key(db, SYSTEM, key.id)
    db.commit()
    response = api.get("/referrals")
    assert response.status_code == 401 and error_of(response)["code"] == "invalid_key"


def test_a_key_used_is_recorded(api, db) -> None:
    api.get("/referrals")
    assert db.query(AgencyApiKey).one().last_used_at is not None


def test_a_read_only_key_cannot_write(client, factory, db) -> None:
    factory.occupation()
    reader = api_client(client, factory, db, scopes=("referrals:read",))
    assert reader.get("/referrals").status_code == 200
    for response in (reader.post("/referrals", REFERRAL), reader.put("/referrals/1", REFERRAL),
                     reader.post("/referrals/1/withdraw"), reader.post("/eligibility", {})):
        assert response.status_code == 403
        assert error_of(response)["code"] == "insufficient_scope"


def test_a_write_only_key_cannot_read(client, factory, db) -> None:
    writer = api_client(client, factory, db, scopes=("referrals:write",))
    response = writer.get("/referrals")
    assert response.status_code == 403 and error_of(response)["code"] == "insufficient_scope"


def test_a_signed_in_caseworker_cookie_does_not_open_the_api(api, client, factory, db) -> None:
    user = factory.agency_user(api.agency)
    db.commit()
    sign_in_as(client, "agency", user.id)
    assert api.get("/referrals", auth=False).status_code == 401


def test_every_api_view_declares_a_permission(app) -> None:
    views = [view for endpoint, view in app.view_functions.items()
             if endpoint.startswith("kit_api.")]
    assert len(views) >= 8
    assert all(getattr(view, PERMISSION_ATTRIBUTE, None) in ("public", ("agency",))
               for view in views)


def test_unknown_addresses_and_methods_answer_in_json(api) -> None:
    missing = api.get("/nothing/here")
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"
    assert api.get("/").status_code == 404
    wrong = api.call("DELETE", "/referrals/1")
    assert wrong.status_code == 405 and error_of(wrong)["code"] == "method_not_allowed"
    assert set(wrong.headers["Allow"].split(", ")) >= {"GET", "PUT"}
    patch = api.call("PATCH", "/referrals", {})
    assert patch.status_code == 405 and "POST" in patch.headers["Allow"]


def test_an_unexpected_failure_is_a_json_500_without_details(app, api) -> None:
    def explode() -> None:
        raise RuntimeError("secret internals")

    setattr(explode, PERMISSION_ATTRIBUTE, ("agency",))
    explode.kit_api_scope = "referrals:read"  # type: ignore[attr-defined]
    app.add_url_rule(f"{BASE}/explode", "kit_api.explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = api.get("/explode")
    assert response.status_code == 500
    assert error_of(response)["code"] == "internal_error"
    assert b"secret internals" not in response.data and b"Traceback" not in response.data


def test_the_openapi_document_is_public(client) -> None:
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "http://localhost/mentoring/api/v1"}]


@pytest.mark.kit_config(KIT_BLUEPRINTS=["agency"])
def test_a_host_can_leave_the_api_out(client) -> None:
    assert client.get(f"{BASE}/openapi.json").status_code == 404
