"""The coordinator's privacy page: what is held, the JSON export, erasure after confirmation."""

from __future__ import annotations

import json

import pytest
from conftest import csrf_token, sign_in_as
from sqlalchemy import select

from kit.auth.newcomer_links import issue_link
from kit.models import AuditEvent, Newcomer


@pytest.fixture
def newcomer(factory, db):
    person = factory.newcomer(given_name="Nguyễn Thị", family_name="Lan",
                              email="lan.nguyen@mail.example", phone="+1 604-555-0101")
    factory.referral(newcomer=person, status="submitted")
    db.commit()
    return person


@pytest.fixture
def coordinator(client, factory, db):
    staff = factory.staff("Priya Raman", roles=("coordinator",))
    db.commit()
    sign_in_as(client, "staff", staff.id)
    return staff


def page(newcomer_id: int, what: str = "privacy") -> str:
    return f"/mentoring/coordinator/newcomers/{newcomer_id}/{what}"


def viewed(db, newcomer_id: int) -> list[str]:
    return [event.details["what"] for event in db.scalars(select(AuditEvent).where(
        AuditEvent.action == "newcomer.viewed", AuditEvent.subject_id == str(newcomer_id)))]


@pytest.mark.parametrize("kind", ["staff", "agency"])
def test_only_coordinators_see_export_or_erase(client, factory, db, newcomer, kind) -> None:
    person = factory.staff() if kind == "staff" else factory.agency_user()
    db.commit()
    sign_in_as(client, kind, person.id)
    assert client.get(page(newcomer.id)).status_code == 403
    assert client.get(page(newcomer.id, "export")).status_code == 403
    assert client.post(page(newcomer.id, "erase"), data={"confirm": "y"}).status_code == 403
    assert viewed(db, newcomer.id) == []


def test_the_page_says_what_erasure_keeps_and_removes(client, coordinator, newcomer,
                                                       db) -> None:
    html = client.get(page(newcomer.id)).get_data(as_text=True)
    assert "Privacy: Nguyễn Thị Lan" in html and "lan.nguyen@mail.example" in html
    assert "Kept, without their name" in html and "Removed" in html
    assert "1 referrals still waiting will be withdrawn" in html
    assert f'href="{page(newcomer.id, "export")}"' in html
    assert viewed(db, newcomer.id) == ["privacy"]
    assert client.get(page(999_999)).status_code == 404


def test_the_export_downloads_json_and_is_audited(client, coordinator, newcomer, db) -> None:
    response = client.get(page(newcomer.id, "export"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="newcomer-{newcomer.id}.json"')
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == "lan.nguyen@mail.example"
    assert data["referrals"][0]["status"] == "submitted"
    assert viewed(db, newcomer.id) == ["export"]
    assert client.get(page(999_999, "export")).status_code == 404


def test_erasure_needs_the_csrf_token_and_the_confirmation(client, coordinator, newcomer,
                                                            db) -> None:
    assert client.post(page(newcomer.id, "erase"), data={"confirm": "y"}).status_code == 400
    token = csrf_token(client, page(newcomer.id))
    response = client.post(page(newcomer.id, "erase"), data={"csrf_token": token})
    assert response.status_code == 400
    assert "Tick the box to confirm the erasure." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Newcomer, newcomer.id).erased_at is None


def test_after_erasure_the_links_are_dead_and_the_list_forgets_them(client, coordinator,
                                                                    newcomer, db, app) -> None:
    with app.test_request_context():
        token = issue_link(db, app.secret_key, newcomer.id, max_age_days=30)
    db.commit()
    assert "Nguyễn Thị Lan" in client.get("/mentoring/coordinator/newcomers").get_data(
        as_text=True)
    csrf = csrf_token(client, page(newcomer.id))
    response = client.post(page(newcomer.id, "erase"), data={"csrf_token": csrf, "confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mentoring/coordinator/newcomers")
    listing = client.get("/mentoring/coordinator/newcomers").get_data(as_text=True)
    assert "personal data is erased" in listing
    assert "Nguyễn Thị Lan" not in listing and "lan.nguyen@mail.example" not in listing
    html = client.get(page(newcomer.id)).get_data(as_text=True)
    assert "personal data was erased on" in html and "Erase the personal data" not in html
    assert app.test_client().get(f"/mentoring/newcomer/link/{token}").status_code == 404
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "newcomer.erased")).all()
    assert len(events) == 1 and "lan" not in json.dumps(events[0].details).lower()
