"""Coordinators e-mail newcomers their personal link and can revoke it."""

from __future__ import annotations

import re

import pytest
from conftest import csrf_token, sign_in_as

from kit.models import AuditEvent, OutboxMessage


@pytest.fixture
def coordinator(client, factory, db):
    staff = factory.staff("Amara Okafor", roles=("coordinator",))
    db.commit()
    sign_in_as(client, "staff", staff.id)
    return staff


def post(client, path: str):
    token = csrf_token(client, "/mentoring/coordinator/newcomers")
    return client.post(path, data={"csrf_token": token})


def test_the_list_shows_each_newcomer_with_agency_and_referral(client, coordinator, factory,
                                                                db) -> None:
    factory.referral(factory.newcomer("Nguyễn Thị", "Lan"), factory.agency("Harbourview"),
                     status="accepted")
    db.commit()
    html = client.get("/mentoring/coordinator/newcomers").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "Harbourview" in html and "Accepted" in html
    assert "None open" in html


def test_a_link_goes_out_in_the_newcomers_language_and_opens_their_page(
        app, client, coordinator, factory, db) -> None:
    newcomer = factory.newcomer("Élodie", "Martin", preferred_locale="fr")
    db.commit()
    response = post(client, f"/mentoring/coordinator/newcomers/{newcomer.id}/link")
    assert response.status_code == 302
    message = db.query(OutboxMessage).one()
    assert message.recipient == newcomer.email and message.locale == "fr"
    assert message.subject == "Votre lien personnel vers le programme de mentorat"
    path = re.search(r"http://localhost(/mentoring/newcomer/link/\S+)", message.body_text)[1]
    visitor = app.test_client()
    assert visitor.get(path).headers["Location"] == "/mentoring/newcomer/"
    assert "Élodie Martin" in visitor.get("/mentoring/newcomer/").get_data(as_text=True)
    assert db.query(AuditEvent).filter_by(action="newcomer.link_sent").count() == 1
    assert "Sent on" in client.get("/mentoring/coordinator/newcomers").get_data(as_text=True)

    post(client, f"/mentoring/coordinator/newcomers/{newcomer.id}/revoke")
    assert visitor.get("/mentoring/newcomer/").status_code == 302
    assert visitor.get(path).status_code == 404


def test_only_coordinators_send_links(client, factory, db) -> None:
    staff = factory.staff()
    newcomer = factory.newcomer()
    db.commit()
    sign_in_as(client, "staff", staff.id)
    assert client.get("/mentoring/coordinator/newcomers").status_code == 403
    response = client.post(f"/mentoring/coordinator/newcomers/{newcomer.id}/link", data={})
    assert response.status_code == 403
    assert db.query(OutboxMessage).count() == 0


def test_an_unknown_newcomer_is_not_found(client, coordinator) -> None:
    assert post(client, "/mentoring/coordinator/newcomers/9999/link").status_code == 404


def test_a_missing_csrf_token_sends_nothing(client, coordinator, factory, db) -> None:
    newcomer = factory.newcomer()
    db.commit()
    response = client.post(f"/mentoring/coordinator/newcomers/{newcomer.id}/link", data={})
    assert response.status_code == 400
    assert db.query(OutboxMessage).count() == 0
