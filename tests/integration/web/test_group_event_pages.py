"""Group event pages: a mentor creates an event, newcomers register or wait, attendance."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from conftest import csrf_token, sign_in_as

from kit.auth.newcomer_links import issue_link
from kit.models import HoursEntry, MentoringSession, NewcomerLink, SessionAttendee
from kit.models.base import utcnow
from kit.services.audit import Actor
from kit.services.group_events import create_event, register

EVENTS = "/mentoring/staff/group-events"
NEW = f"{EVENTS}/new"
OPEN = "/mentoring/newcomer/group-events"
DAY = (date.today() + timedelta(days=12)).isoformat()


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def error_of(page: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    return found.group(1) if found else ""


@pytest.fixture
def cast(factory, db):
    factory.occupation("21300")
    mentors = [factory.volunteer(factory.staff(name), offers_group=True).staff
               for name in ("Ama Mensah", "Ben Ortiz", "Chloé Roy", "Dev Patel")]
    coordinator = factory.staff("Priya Coordinator", roles=("coordinator",))
    bystander = factory.staff("Not A Mentor")
    newcomers = [factory.newcomer(f"Person{i}") for i in range(3)]
    db.commit()
    return {"mentors": mentors, "coordinator": coordinator, "bystander": bystander,
            "newcomers": newcomers}


def as_newcomer(client, app, db, newcomer_id: int) -> None:
    issue_link(db, app.secret_key, newcomer_id, max_age_days=30)
    db.commit()
    link = db.query(NewcomerLink).filter_by(newcomer_id=newcomer_id).order_by(
        NewcomerLink.id.desc()).first()
    sign_in_as(client, "newcomer", newcomer_id, link.id)


def small_event(db, cast, capacity: int = 1) -> MentoringSession:
    start = (utcnow() + timedelta(days=5)).replace(microsecond=0)
    created = create_event(db, Actor("staff", cast["coordinator"].id), title="Engineering here",
                           starts_at=start, ends_at=start + timedelta(hours=2),
                           mentor_ids=[m.id for m in cast["mentors"][:2]], capacity=capacity)
    db.commit()
    return created


def test_a_mentor_creates_an_event_with_a_co_mentor(client, db, cast):
    ama, ben = cast["mentors"][:2]
    sign_in_as(client, "staff", ama.id)
    form_page = text(client.get(NEW))
    assert 'value="10"' in form_page  # the default capacity
    data = {"csrf_token": csrf_token(client, NEW), "title": "Working as an engineer in BC",
            "day": DAY, "start": "17:00", "minutes": "120", "capacity": "8",
            "mentors": [str(ama.id), str(ben.id)], "location_building": "City Hall",
            "location_room": "Council chamber"}
    response = client.post(NEW, data=data)
    assert response.status_code == 302
    page = text(client.get(response.location))
    assert "Working as an engineer in BC" in page and "0 of 8" in page
    created = db.query(MentoringSession).one()
    assert created.capacity == 8 and created.match_id is None
    assert created.duration_minutes == 120
    assert "Working as an engineer in BC" in text(client.get(EVENTS))


def test_the_event_form_shows_field_errors(client, cast):
    ama = cast["mentors"][0]
    sign_in_as(client, "staff", ama.id)
    token = csrf_token(client, NEW)
    response = client.post(NEW, data={
        "csrf_token": token, "title": "", "day": DAY, "start": "17:00", "minutes": "120",
        "capacity": "25", "mentors": [str(m.id) for m in cast["mentors"]],
        "online_url": "https://meet.example/event"})
    assert response.status_code == 422
    page = text(response)
    assert error_of(page, "title") == "Give the event a title."
    assert error_of(page, "capacity") == "From 1 to 10 seats."
    assert "Choose from 2 to 3 mentors." in page


def test_people_who_may_not_create_events_are_refused(client, app, db, cast):
    sign_in_as(client, "staff", cast["bystander"].id)
    assert client.get(EVENTS).status_code == 200
    assert client.get(NEW).status_code == 403
    created = small_event(db, cast)
    assert client.get(f"{EVENTS}/{created.id}").status_code == 403
    as_newcomer(client, app, db, cast["newcomers"][0].id)
    assert client.get(EVENTS).status_code == 403
    sign_in_as(client, "staff", cast["coordinator"].id)
    assert client.get(OPEN).status_code == 403
    assert client.get(NEW).status_code == 200


def test_newcomers_register_wait_and_are_promoted(client, app, db, cast):
    created = small_event(db, cast, capacity=1)
    first, second = cast["newcomers"][:2]
    as_newcomer(client, app, db, first.id)
    assert "Engineering here" in text(client.get(OPEN))
    token = csrf_token(client, OPEN)
    assert client.post(f"{OPEN}/{created.id}/register",
                       data={"csrf_token": token}).status_code == 302
    assert "You have a seat." in text(client.get(OPEN))
    twice = client.post(f"{OPEN}/{created.id}/register", data={"csrf_token": token})
    assert twice.status_code == 409

    as_newcomer(client, app, db, second.id)
    token = csrf_token(client, OPEN)
    response = client.post(f"{OPEN}/{created.id}/register", data={"csrf_token": token})
    assert "you are on the waiting list" in text(client.get(response.location))
    assert "You are number 1 on the waiting list." in text(client.get(OPEN))

    as_newcomer(client, app, db, first.id)
    token = csrf_token(client, OPEN)
    assert client.post(f"{OPEN}/{created.id}/cancel",
                       data={"csrf_token": token}).status_code == 302
    as_newcomer(client, app, db, second.id)
    assert "You have a seat." in text(client.get(OPEN))


def test_a_mentor_marks_attendance_and_mentors_present_get_hours(client, db, cast):
    created = small_event(db, cast, capacity=2)
    person = cast["newcomers"][0]
    register(db, Actor("newcomer", person.id), created.id, person.id)
    created.starts_at -= timedelta(days=6)
    created.ends_at -= timedelta(days=6)
    db.commit()
    ama, ben = cast["mentors"][:2]
    sign_in_as(client, "staff", ben.id)
    url = f"{EVENTS}/{created.id}"
    page = text(client.get(url))
    assert "Attendance" in page and "Person0" in page
    present = [a.id for a in created.attendees if a.staff_id != ama.id]
    response = client.post(f"{url}/attendance",
                           data={"csrf_token": csrf_token(client, url), "present": present})
    assert response.status_code == 302
    assert "1 hours entry for the mentors present" in text(client.get(response.location))
    assert [e.staff_id for e in db.query(HoursEntry)] == [ben.id]
    db.expire_all()
    assert db.query(SessionAttendee).filter_by(staff_id=ama.id).one().attended is False
