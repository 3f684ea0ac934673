"""The mentor's and the newcomer's session pages, the calendar feed and the approval link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import csrf_token, sign_in_as
from icalendar import Calendar

from kit.auth.newcomer_links import issue_link
from kit.models import HoursEntry, MentoringSession, NewcomerLink, OutboxMessage, SessionType
from kit.services.shadowing import approval_token

STAFF = "/mentoring/staff"
NEWCOMER = "/mentoring/newcomer"
FORM = {"type_code": "one_on_one", "day": "2027-03-16", "start": "10:00", "minutes": "",
        "location_building": "City Hall", "location_room": "301",
        "visitor_instructions": "Badge at the front desk; bring photo ID."}


@pytest.fixture
def match(factory, db):
    factory.occupation()
    match = factory.match()
    db.commit()
    return match


@pytest.fixture
def mentor(client, match):
    sign_in_as(client, "staff", match.volunteer.staff_id)
    return csrf_token(client, f"{STAFF}/sessions")


def as_newcomer(app, client, db, newcomer_id: int) -> None:
    issue_link(db, app.secret_key, newcomer_id, max_age_days=30)
    db.commit()
    link = db.query(NewcomerLink).filter_by(newcomer_id=newcomer_id).first()
    sign_in_as(client, "newcomer", newcomer_id, link.id)


def post(client, path, token, **data):
    return client.post(path, data={"csrf_token": token, **data})


def test_the_mentor_schedules_a_session_and_everyone_is_invited(client, db, match, mentor):
    page = client.get(f"{STAFF}/sessions/new?match={match.id}")
    assert page.status_code == 200
    response = post(client, f"{STAFF}/sessions/new", mentor, match_id=match.id, **FORM)
    assert response.status_code == 302
    session = db.query(MentoringSession).one()
    assert response.location.endswith(f"/sessions/{session.id}")
    assert db.query(OutboxMessage).filter(OutboxMessage.ical.is_not(None)).count() == 2
    listing = client.get(f"{STAFF}/sessions").get_data(as_text=True)
    assert "City Hall, 301" in listing


@pytest.mark.parametrize(("changes", "message"), [
    ({"day": ""}, "Give the date."),
    ({"location_building": "", "location_room": ""}, "or an online link"),
    ({"online_url": "not a link", "location_building": ""}, "Give a full link"),
    ({"day": "2027-03-14", "start": "02:30"}, "clocks move forward"),
    ({"day": "2027-11-07", "start": "01:30"}, "clocks go back"),
    ({"day": "2027-03-20"}, "falls on a weekend"),
    ({"day": "2027-07-01"}, "falls on a holiday"),
])
def test_invalid_or_unusual_times_re_render_with_the_reason(client, db, match, mentor,
                                                             changes, message):
    response = post(client, f"{STAFF}/sessions/new", mentor, match_id=match.id,
                    **{**FORM, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert db.query(MentoringSession).count() == 0


def test_a_weekend_session_is_saved_once_the_mentor_accepts(client, db, match, mentor):
    response = post(client, f"{STAFF}/sessions/new", mentor, match_id=match.id,
                    **{**FORM, "day": "2027-03-20", "accept_warnings": "y"})
    assert response.status_code == 302


def test_a_double_booking_is_refused_on_the_form(client, db, factory, match, mentor):
    post(client, f"{STAFF}/sessions/new", mentor, match_id=match.id, **FORM)
    response = post(client, f"{STAFF}/sessions/new", mentor, match_id=match.id,
                    **{**FORM, "start": "10:30"})
    assert response.status_code == 422
    assert "already has another session" in response.get_data(as_text=True)


def test_change_cancel_and_attendance(client, db, factory, match, mentor):
    post(client, f"{STAFF}/sessions/new", mentor, match_id=match.id, **FORM)
    session = db.query(MentoringSession).one()
    assert client.get(f"{STAFF}/sessions/{session.id}").status_code == 200
    assert client.get(f"{STAFF}/sessions/{session.id}/edit").status_code == 200
    moved = post(client, f"{STAFF}/sessions/{session.id}/edit", mentor,
                 **{**FORM, "start": "13:00"})
    assert moved.status_code == 302
    db.expire_all()
    assert session.sequence == 1
    assert post(client, f"{STAFF}/sessions/{session.id}/cancel", mentor,
                reason="").status_code == 422
    assert post(client, f"{STAFF}/sessions/{session.id}/cancel", mentor,
                reason="Strike at City Hall").status_code == 302
    db.expire_all()
    assert session.status == "cancelled"
    cancels = [Calendar.from_ical(m.ical) for m in db.query(OutboxMessage)
               if m.ical and "METHOD:CANCEL" in m.ical]
    assert len(cancels) == 2

    past = factory.session(match, starts_in=timedelta(days=-1), hours=2)
    db.commit()
    ids = [str(a.id) for a in past.attendees]
    response = client.post(f"{STAFF}/sessions/{past.id}/attendance",
                           data={"csrf_token": mentor, "present": ids})
    assert response.status_code == 302
    entries = db.query(HoursEntry).all()
    assert [(e.session_id, e.category, e.status) for e in entries] == [
        (past.id, "session", "pending")]


def test_other_roles_are_refused(app, client, db, factory, match):
    as_newcomer(app, client, db, match.newcomer_id)
    assert client.get(f"{STAFF}/sessions").status_code == 403
    assert client.get(f"{STAFF}/sessions/new?match={match.id}").status_code == 403
    assert client.get("/mentoring/coordinator/pace").status_code == 403
    assert client.get("/mentoring/admin/session-types").status_code == 403
    sign_in_as(client, "staff", match.volunteer.staff_id)
    assert client.get(f"{NEWCOMER}/sessions").status_code == 403
    assert client.get("/mentoring/coordinator/pace").status_code == 403
    stranger = factory.staff("Other Mentor", email="o@city.example", directory_id="o")
    db.commit()
    sign_in_as(client, "staff", stranger.id)
    page = client.get(f"{STAFF}/sessions/new?match={match.id}")
    assert "You have no active match." in page.get_data(as_text=True)
    token = csrf_token(client, f"{STAFF}/sessions")
    assert post(client, f"{STAFF}/sessions/new", token, match_id=match.id,
                **FORM).status_code == 404


def test_the_newcomer_confirms_or_asks_for_another_time(app, client, db, factory, match):
    session = factory.session(match, starts_in=timedelta(days=3))
    db.commit()
    as_newcomer(app, client, db, match.newcomer_id)
    token = csrf_token(client, f"{NEWCOMER}/sessions")
    assert "I will come" in client.get(f"{NEWCOMER}/sessions").get_data(as_text=True)
    assert post(client, f"{NEWCOMER}/sessions/{session.id}/confirm", token).status_code == 302
    db.expire_all()
    assert session.status == "confirmed"
    empty = post(client, f"{NEWCOMER}/sessions/{session.id}/reschedule", token, note="")
    assert empty.status_code == 422
    assert "Say which times suit you better." in empty.get_data(as_text=True)
    asked = post(client, f"{NEWCOMER}/sessions/{session.id}/reschedule", token,
                 note="Mornings are better")
    assert asked.status_code == 302
    db.expire_all()
    assert [a.response for a in session.attendees if a.newcomer_id] == ["reschedule_requested"]
    other = factory.match()
    theirs = factory.session(other)
    db.commit()
    assert post(client, f"{NEWCOMER}/sessions/{theirs.id}/confirm", token).status_code == 404


def _feed_url(html: str) -> str:
    found = re.search(r'<code class="kit-secret">([^<]+)</code>', html)
    assert found
    return found.group(1).replace("http://localhost", "")


def test_a_personal_feed_can_be_made_replaced_and_revoked(app, client, db, factory, match,
                                                          mentor):
    session = factory.session(match)
    db.commit()
    made = post(client, f"{STAFF}/calendar", mentor, action="create")
    url = _feed_url(made.get_data(as_text=True))
    feed = client.get(url)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert session.uid in feed.get_data(as_text=True)
    replaced = _feed_url(post(client, f"{STAFF}/calendar", mentor,
                              action="create").get_data(as_text=True))
    assert client.get(url).status_code == 404
    assert client.get(replaced).status_code == 200
    post(client, f"{STAFF}/calendar", mentor, action="revoke")
    assert client.get(replaced).status_code == 404
    as_newcomer(app, client, db, match.newcomer_id)
    token = csrf_token(client, f"{NEWCOMER}/calendar")
    theirs = _feed_url(post(client, f"{NEWCOMER}/calendar", token,
                            action="create").get_data(as_text=True))
    assert session.uid in client.get(theirs).get_data(as_text=True)


@pytest.mark.kit_config(KIT_SHADOWING_APPROVAL=True)
def test_the_host_manager_approves_through_the_signed_link(app, client, db, match, mentor):
    response = post(client, f"{STAFF}/sessions/new", mentor, match_id=match.id,
                    **{**FORM, "type_code": "job_shadowing", "approver_email": ""})
    assert response.status_code == 422  # nobody to approve: the mentor has no manager
    response = post(client, f"{STAFF}/sessions/new", mentor, match_id=match.id,
                    **{**FORM, "type_code": "job_shadowing",
                       "approver_email": "manager@city.example"})
    assert response.status_code == 302
    session = db.query(MentoringSession).one()
    token = approval_token(session)
    page = client.get(f"{STAFF}/visits/{token}")
    assert page.status_code == 200 and "Approve the visit" in page.get_data(as_text=True)
    assert client.get(f"{STAFF}/visits/not-a-token").status_code == 404
    form_token = re.search(r'name="csrf_token" value="([^"]+)"',
                           page.get_data(as_text=True)).group(1)
    done = client.post(f"{STAFF}/visits/{token}",
                       data={"csrf_token": form_token, "decision": "approve"})
    assert done.status_code == 200
    db.expire_all()
    assert session.approval_status == "approved"


def test_admin_switches_session_types_and_their_length(client, db, factory):
    admin = factory.staff("Admin", roles=("admin",))
    db.commit()
    sign_in_as(client, "staff", admin.id)
    token = csrf_token(client, "/mentoring/admin/session-types")
    bad = post(client, "/mentoring/admin/session-types", token, type="workplace_tour",
               **{"workplace_tour-csrf_token": token, "workplace_tour-default_minutes": "0"})
    assert bad.status_code == 422
    good = post(client, "/mentoring/admin/session-types", token, type="workplace_tour",
                **{"workplace_tour-csrf_token": token,
                   "workplace_tour-default_minutes": "45"})
    assert good.status_code == 302
    tour = db.query(SessionType).filter_by(code="workplace_tour").one()
    assert (tour.default_minutes, tour.is_active) == (45, False)


def test_the_coordinator_sees_matches_needing_attention(client, db, factory, match):
    coordinator = factory.staff("Coordinator", roles=("coordinator",), email="c@city.example",
                                directory_id="c")
    db.commit()
    sign_in_as(client, "staff", coordinator.id)
    page = client.get("/mentoring/coordinator/pace")
    assert page.status_code == 200
    assert match.newcomer.display_name in page.get_data(as_text=True)
