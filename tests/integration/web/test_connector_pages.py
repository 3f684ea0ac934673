"""Connector pages: the host records introductions, the colleague schedules, the coordinator
follows the chains."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from conftest import csrf_token, sign_in_as

from kit.auth.newcomer_links import issue_link
from kit.models import ConnectorIntroduction, MentoringSession, NewcomerLink, OutboxMessage
from kit.models.base import utcnow
from kit.services.audit import Actor
from kit.services.connectors import Colleague, record_introductions, schedule_connector_meeting

CONNECTOR = "/mentoring/staff/connector"
CHAINS = "/mentoring/coordinator/connectors"
DAY = (date.today() + timedelta(days=10)).isoformat()


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def error_of(page: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    return found.group(1) if found else ""


@pytest.fixture
def cast(factory, db):
    factory.occupation("21300")
    coordinator = factory.staff("Priya Coordinator", roles=("coordinator",))
    connector = factory.volunteer(factory.staff("Connie Connector"), offers_connector=True).staff
    colleagues = {name: factory.staff(name, email=email) for name, email in (
        ("Amélie Tremblay", "amelie.tremblay@city.example"),
        ("Bo Chen", "bo.chen@city.example"),
        ("Bo Larsen", "bo.larsen@city.example"),
        ("Carlos Ruiz", "carlos.ruiz@city.example"))}
    newcomer = factory.newcomer("Lan")
    factory.referral(newcomer, status="accepted")
    meeting = schedule_connector_meeting(
        db, Actor("staff", coordinator.id), connector_id=connector.id, newcomer_id=newcomer.id,
        starts_at=utcnow() - timedelta(hours=1))
    db.commit()
    return {"coordinator": coordinator, "connector": connector, "colleagues": colleagues,
            "newcomer": newcomer, "meeting": meeting}


def meeting_url(cast) -> str:
    return f"{CONNECTOR}/meetings/{cast['meeting'].id}"


def introduce(client, cast, rows, **extra):
    url = meeting_url(cast)
    data = {"csrf_token": csrf_token(client, url), **extra}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{i}-{key}"] = value
    return client.post(url, data=data)


def test_the_host_records_three_introductions_found_in_the_directory_or_typed(client, db,
                                                                             cast):
    sign_in_as(client, "staff", cast["connector"].id)
    page = text(client.get(meeting_url(cast)))
    assert "Connector meeting with Lan" in page
    assert "Record at least 3 more colleagues" in page
    response = introduce(client, cast, [
        {"person": "Amélie"}, {"person": "BO.CHEN@city.example"},
        {"name": "Eve Partner", "email": "eve@partner.example"}], note="Permits and codes")
    assert response.status_code == 302
    page = text(client.get(response.location))
    assert "3 introductions recorded" in page
    for name in ("Amélie Tremblay", "Bo Chen", "Eve Partner"):
        assert name in page
    assert db.query(ConnectorIntroduction).count() == 3
    assert db.query(OutboxMessage).filter(
        OutboxMessage.dedupe_key.like("connector-introduction:%")).count() == 3


def test_fewer_than_three_introductions_say_so_and_save_nothing(client, db, cast):
    sign_in_as(client, "staff", cast["connector"].id)
    response = introduce(client, cast, [{"person": "Amélie"}, {"person": "Carlos"}])
    assert response.status_code == 422
    assert "Record at least 3 colleagues to introduce." in text(response)
    assert db.query(ConnectorIntroduction).count() == 0


def test_unclear_rows_are_field_errors(client, cast):
    sign_in_as(client, "staff", cast["connector"].id)
    response = introduce(client, cast, [
        {"person": "Bo"}, {"person": "Nobody Here"}, {"name": "Only A Name"}])
    assert response.status_code == 422
    page = text(response)
    assert 'id="rows-0-person-error">Several people match: Bo Chen <bo.chen@city.example>, ' \
        "Bo Larsen <bo.larsen@city.example>. Give the e-mail of the right one." in page
    assert "No one in the directory matches" in error_of(page, "rows-1-person")
    assert error_of(page, "rows-2-email") == "Give both the name and the e-mail."


def test_the_colleague_schedules_the_suggested_meeting(client, db, cast):
    bo = cast["colleagues"]["Bo Chen"]
    made = record_introductions(db, Actor("staff", cast["connector"].id), cast["meeting"].id,
                                [Colleague(staff_id=c.id) for c in cast["colleagues"].values()
                                 if c.display_name != "Bo Larsen"])
    db.commit()
    sign_in_as(client, "staff", bo.id)
    page = text(client.get(CONNECTOR))
    assert "Connie Connector introduced you" in page
    intro = next(i for i in made if i.colleague_staff_id == bo.id)
    url = f"{CONNECTOR}/introductions/{intro.id}/schedule"
    prefix = f"i{intro.id}"
    token = csrf_token(client, CONNECTOR)
    token_field = f"{prefix}-csrf_token"  # each introduction's form has its own prefix
    missing = client.post(url, data={token_field: token, f"{prefix}-start": "10:00"})
    assert missing.status_code == 422
    assert error_of(text(missing), f"{prefix}-day") == "Give the date."
    past = client.post(url, data={token_field: token, f"{prefix}-day": "2020-01-06",
                                  f"{prefix}-start": "10:00",
                                  f"{prefix}-location_building": "City Hall"})
    assert past.status_code == 422
    assert error_of(text(past), f"{prefix}-day") == "Choose a time in the future."
    done = client.post(url, data={token_field: token, f"{prefix}-day": DAY,
                                  f"{prefix}-start": "10:00",
                                  f"{prefix}-location_building": "City Hall",
                                  f"{prefix}-location_room": "301"})
    assert done.status_code == 302
    db.expire_all()
    assert intro.status == "scheduled"
    follow_up = db.get(MentoringSession, intro.follow_up_session_id)
    assert follow_up.duration_minutes == 30 and follow_up.location_room == "301"
    assert "Newcomers introduced to you" in text(client.get(CONNECTOR))
    assert "No one is waiting to meet you." in text(client.get(CONNECTOR))


def test_the_colleague_may_decline_but_not_act_on_others_introductions(client, db, cast):
    made = record_introductions(db, Actor("staff", cast["connector"].id), cast["meeting"].id,
                                [Colleague(staff_id=c.id) for c in cast["colleagues"].values()])
    db.commit()
    carlos = cast["colleagues"]["Carlos Ruiz"]
    sign_in_as(client, "staff", carlos.id)
    token = csrf_token(client, CONNECTOR)
    someone_elses = client.post(f"{CONNECTOR}/introductions/{made[0].id}/decline",
                                data={"csrf_token": token})
    assert someone_elses.status_code == 403
    mine = next(i for i in made if i.colleague_staff_id == carlos.id)
    assert client.post(f"{CONNECTOR}/introductions/{mine.id}/decline",
                       data={"csrf_token": token}).status_code == 302
    db.expire_all()
    assert mine.status == "declined"


def test_the_host_marks_attendance(client, db, cast):
    sign_in_as(client, "staff", cast["connector"].id)
    url = meeting_url(cast)
    ids = [a.id for a in cast["meeting"].attendees]
    response = client.post(f"{url}/attendance",
                           data={"csrf_token": csrf_token(client, url), "present": ids})
    assert response.status_code == 302
    db.expire_all()
    assert cast["meeting"].status == "attended"


def as_newcomer(client, app, db, newcomer_id: int) -> None:
    """Sign in as a newcomer through a personal link, as their e-mail would."""
    issue_link(db, app.secret_key, newcomer_id, max_age_days=30)
    db.commit()
    link = db.query(NewcomerLink).filter_by(newcomer_id=newcomer_id).first()
    sign_in_as(client, "newcomer", newcomer_id, link.id)


def test_wrong_roles_are_refused(client, app, db, cast):
    sign_in_as(client, "staff", cast["colleagues"]["Bo Chen"].id)
    assert client.get(meeting_url(cast)).status_code == 403
    assert client.get(CHAINS).status_code == 403
    as_newcomer(client, app, db, cast["newcomer"].id)
    assert client.get(CONNECTOR).status_code == 403
    assert client.get(meeting_url(cast)).status_code == 403


def test_the_coordinator_starts_a_chain_and_follows_it(client, db, cast):
    record_introductions(db, Actor("staff", cast["connector"].id), cast["meeting"].id,
                         [Colleague(staff_id=c.id) for c in cast["colleagues"].values()])
    db.commit()
    sign_in_as(client, "staff", cast["coordinator"].id)
    page = text(client.get(CHAINS))
    assert "Lan" in page and "introductions made" in page
    token = csrf_token(client, CHAINS)
    form = {"csrf_token": token, "newcomer": str(cast["newcomer"].id),
            "connector": str(cast["connector"].id), "day": DAY, "start": "11:00"}
    nowhere = client.post(f"{CHAINS}/start", data=form)
    assert nowhere.status_code == 422
    assert "Give a building or room, or an online link." in error_of(
        text(nowhere), "location_building")
    started = client.post(f"{CHAINS}/start",
                          data={**form, "online_url": "https://meet.example/lan"})
    assert started.status_code == 302
    tree = text(client.get(f"{CHAINS}/newcomers/{cast['newcomer'].id}"))
    assert tree.count("connector meeting with Connie Connector") == 2
    assert "Introduced to Carlos Ruiz" in tree
    busy = client.post(f"{CHAINS}/start", data={**form, "online_url": "https://x.example"})
    assert busy.status_code == 422
    assert "already has another session" in text(busy)
