"""The program admin adds agencies, invites caseworkers by e-mail and manages API keys."""

from __future__ import annotations

import re

import pytest
from conftest import csrf_token, sign_in_as

from kit.models import AgencyApiKey, OutboxMessage


@pytest.fixture
def admin(client, factory, db):
    staff = factory.staff("Amara Okafor", roles=("admin",))
    db.commit()
    sign_in_as(client, "staff", staff.id)
    return staff


def post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_token(client, "/mentoring/admin/"), **data})


def test_only_admins_manage_agencies(client, factory, db) -> None:
    coordinator = factory.staff(roles=("coordinator",))
    db.commit()
    sign_in_as(client, "staff", coordinator.id)
    assert client.get("/mentoring/admin/").status_code == 403


def test_an_empty_list_says_what_to_do(client, admin) -> None:
    html = client.get("/mentoring/admin/").get_data(as_text=True)
    assert "No agency can refer newcomers yet." in html


def test_add_an_agency_then_invite_a_caseworker_in_french(client, admin, db) -> None:
    response = post(client, "/mentoring/admin/", name="Centre d'accueil Horizon",
                    email="accueil@horizon.example", region="Port Alder")
    assert response.status_code == 302
    agency_page = response.headers["Location"]
    assert "Invite its caseworkers" in client.get(agency_page).get_data(as_text=True)
    agency_id = int(agency_page.rsplit("/", 1)[1])
    response = post(client, f"/mentoring/admin/agencies/{agency_id}/invite",
                    display_name="Élodie Tremblay", email="elodie@horizon.example", locale="fr")
    assert response.status_code == 302
    message = db.query(OutboxMessage).one()
    assert message.recipient == "elodie@horizon.example"
    assert message.locale == "fr"
    assert "Bonjour Élodie Tremblay" in message.body_text
    link = re.search(r"http://localhost(/mentoring/invitation/\S+)", message.body_text).group(1)
    assert "Élodie Tremblay" in client.get(link).get_data(as_text=True)
    html = client.get(agency_page).get_data(as_text=True)
    assert "elodie@horizon.example" in html and "Invited on" in html


def test_duplicate_agencies_and_bad_emails_are_explained(client, admin, factory, db) -> None:
    factory.agency("Harbourview")
    db.commit()
    response = post(client, "/mentoring/admin/", name="Harbourview")
    assert response.status_code == 400
    assert "An agency with this name already exists." in response.get_data(as_text=True)
    agency = factory.agency("Pacific Bridges")
    db.commit()
    response = post(client, f"/mentoring/admin/agencies/{agency.id}/invite",
                    display_name="X", email="not-an-address", locale="en")
    assert response.status_code == 400
    assert "Enter a valid e-mail address." in response.get_data(as_text=True)
    assert db.query(OutboxMessage).count() == 0


def test_an_api_key_is_shown_once_and_can_be_revoked(client, admin, factory, db) -> None:
    agency = factory.agency("Harbourview")
    db.commit()
    response = post(client, f"/mentoring/admin/agencies/{agency.id}/keys",
                    name="Case management system", read="y", write="y")
    html = response.get_data(as_text=True)
    secret = re.search(r'<code class="kit-secret">([^<]+)</code>', html).group(1)
    key = db.query(AgencyApiKey).one()
    assert secret.startswith(f"mk_{key.prefix}_") and secret not in key.secret_hash
    assert key.scopes == ["referrals:read", "referrals:write"]
    page = client.get(f"/mentoring/admin/agencies/{agency.id}").get_data(as_text=True)
    assert secret not in page and f"mk_{key.prefix}_…" in page
    response = post(client, f"/mentoring/admin/agencies/{agency.id}/keys/{key.id}/revoke")
    assert response.status_code == 302
    db.expire_all()
    assert key.revoked_at is not None


def test_a_key_needs_a_permission(client, admin, factory, db) -> None:
    agency = factory.agency()
    db.commit()
    response = post(client, f"/mentoring/admin/agencies/{agency.id}/keys", name="Nothing")
    assert response.status_code == 400
    assert "Choose at least one permission for the key." in response.get_data(as_text=True)


def test_unknown_agencies_are_not_found(client, admin) -> None:
    assert client.get("/mentoring/admin/agencies/999").status_code == 404
