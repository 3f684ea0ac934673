"""An employee offers to mentor from their page; the coordinator approves or pauses the offer."""

from __future__ import annotations

import html
import re

import pytest
from conftest import csrf_token, sign_in_as

from kit.models import AuditEvent, VolunteerProfile
from kit.models.base import utcnow

OFFER = "/mentoring/staff/volunteer"
HOME = "/mentoring/staff/"
LIST = "/mentoring/coordinator/volunteers"
FORM = {
    "noc": "21300", "naics_sector": "23", "years_experience": "8", "languages": "fr, en",
    "capacity": "2", "formats": ["one_on_one", "group"],
    "windows-0-weekday": "1", "windows-0-start": "14:00", "windows-0-end": "16:00",
    "windows-1-weekday": "3", "windows-1-start": "09:30", "windows-1-end": "10:30",
    "goals_text": "Canadian codes, site visits and the P.Eng. licence",
    "orientation_on": "2026-09-15", "commitment": "y",
}


@pytest.fixture
def employee(factory, db):
    factory.occupation("21300")
    staff = factory.staff("Zoë O'Brien", title="Senior bridge engineer",
                          department="Engineering Services", work_location="City Hall, floor 3")
    db.commit()
    return staff


@pytest.fixture
def coordinator(factory, db):
    staff = factory.staff("Amara Okafor", roles=("coordinator",))
    db.commit()
    return staff


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def offer(client, **changes):
    data = {**FORM, "csrf_token": csrf_token(client, OFFER), **changes}
    return client.post(OFFER, data={k: v for k, v in data.items() if v is not None})


def error_after(page: str, field_id: str) -> str:
    """The inline error tied to a field (its aria-describedby), or ''."""
    found = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    return found.group(1) if found else ""


def test_the_offer_form_shows_the_directory_facts_read_only(client, employee) -> None:
    sign_in_as(client, "staff", employee.id)
    home = text(client.get(HOME))
    assert "You have not volunteered as a mentor yet." in home
    assert f'href="{OFFER}"' in home and "Volunteer as a mentor" in home
    page = text(client.get(OFFER))
    for fact in ("Zoë O'Brien", "Engineering Services", "Senior bridge engineer",
                 "City Hall, floor 3"):
        assert f"<dd>{fact}</dd>" in page
    assert 'name="display_name"' not in page and 'name="department"' not in page
    assert 'data-kit-noc-search="/mentoring/staff/occupations"' in page
    assert "noc-search.js" in page and "Welcome back" not in page


def test_every_mistake_is_shown_next_to_its_field_and_nothing_is_saved(
        client, employee, db) -> None:
    sign_in_as(client, "staff", employee.id)
    response = offer(client, noc="99999", naics_sector="77", years_experience="1",
                     languages="english", capacity="4", formats=None, goals_text="",
                     commitment=None, **{"windows-0-end": "13:00", "windows-1-weekday": "",
                                         "windows-2-start": "08:00"})
    page = text(response)
    assert response.status_code == 200
    assert "Nothing was saved: correct the fields marked below." in page
    assert "NOC 2021 unit group" in error_after(page, "noc")
    assert "NAICS" in error_after(page, "naics_sector")
    assert error_after(page, "years_experience") == (
        "Mentors need at least 2 years of experience in their profession.")
    assert "two-letter language codes" in error_after(page, "languages")
    assert error_after(page, "capacity") == "Choose from 1 to 3 newcomers."
    assert error_after(page, "formats") == "Choose at least one way to mentor."
    assert "what you can help a newcomer with" in error_after(page, "goals_text")
    assert error_after(page, "commitment") == "Acknowledge the commitment to volunteer."
    assert error_after(page, "windows-0-end") == "The end must be after the start."
    assert error_after(page, "windows-1-weekday") == "Choose the day."
    assert error_after(page, "windows-2-weekday") == "Choose the day."
    assert error_after(page, "windows-2-end") == "Enter the end time."
    assert db.query(VolunteerProfile).count() == 0
    assert db.query(AuditEvent).filter(AuditEvent.action.like("volunteer.%")).count() == 0


def test_an_offer_needs_one_weekly_time(client, employee, db) -> None:
    sign_in_as(client, "staff", employee.id)
    empty = {f"windows-{row}-{part}": "" for row in range(2) for part in ("weekday", "start",
                                                                           "end")}
    page = text(offer(client, **empty))
    assert error_after(page, "windows") == "Add at least one weekly time when you are available."
    assert db.query(VolunteerProfile).count() == 0


def test_a_valid_offer_awaits_approval_then_the_coordinator_approves_it(
        client, employee, coordinator, db) -> None:
    sign_in_as(client, "staff", employee.id)
    saved = offer(client)
    assert saved.status_code == 302 and saved.headers["Location"] == HOME
    profile = db.query(VolunteerProfile).one()
    assert (profile.status, profile.noc_code, profile.capacity, profile.language_codes) == (
        "pending", "21300", 2, ["en", "fr"])
    assert (profile.offers_one_on_one, profile.offers_connector, profile.offers_group) == (
        True, False, True)
    assert [(w.weekday, w.start_minute, w.end_minute) for w in profile.availability] == [
        (1, 840, 960), (3, 570, 630)]
    assert profile.commitment_acknowledged_at is not None
    assert str(profile.orientation_on) == "2026-09-15"
    home = text(client.get(HOME))
    assert "awaits the program coordinator's approval" in home
    assert "Awaiting approval" in home and "Civil engineers (21300)" in home
    assert "Change my offer" in home and "Pause" in home and "Withdraw" in home

    # One browser for both people: two clients would share the test app context's CSRF token.
    boss = client
    sign_in_as(boss, "staff", coordinator.id)
    listing = text(boss.get(LIST))
    assert "Zoë O'Brien" in listing and "Engineering Services" in listing
    assert "Civil engineers (21300)" in listing and "en, fr" in listing
    assert "Awaiting approval" in listing and "Repeat mentor" not in listing
    token = csrf_token(boss, LIST)
    approved = boss.post(f"{LIST}/{profile.id}/approve", data={"csrf_token": token})
    assert approved.status_code == 302
    assert "Zoë O'Brien is approved as a mentor." in text(boss.get(LIST))
    db.refresh(profile)
    assert profile.status == "approved" and profile.approved_by_id == coordinator.id
    assert profile.approved_at is not None
    sign_in_as(client, "staff", employee.id)
    assert "Approved" in text(client.get(HOME))
    actions = [e.action for e in db.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions == ["volunteer.offered", "volunteer.approved"]


def test_changing_an_approved_offer_keeps_it_approved(client, factory, employee, db) -> None:
    factory.volunteer(employee, status="approved", capacity=1)
    db.commit()
    sign_in_as(client, "staff", employee.id)
    page = text(client.get(OFFER))
    assert 'value="21300"' in page and "Save my changes" in page
    assert "Civil engineers (21300)" in page
    assert offer(client, capacity="3").status_code == 302
    profile = db.query(VolunteerProfile).one()
    db.refresh(profile)
    assert (profile.status, profile.capacity) == ("approved", 3)
    assert "Your offer is updated." in text(client.get(HOME))


def test_pause_resume_and_withdraw(client, factory, employee, db) -> None:
    volunteer = factory.volunteer(employee, status="approved", approved_at=utcnow())
    factory.match(volunteer, status="active")
    db.commit()
    sign_in_as(client, "staff", employee.id)
    token = csrf_token(client, HOME)
    client.post(f"{OFFER}/pause", data={"csrf_token": token})
    db.refresh(volunteer)
    home = text(client.get(HOME))
    assert volunteer.status == "paused" and "Your offer is paused." in home
    assert "Resume" in home
    client.post(f"{OFFER}/resume", data={"csrf_token": token})
    db.refresh(volunteer)
    assert volunteer.status == "approved"
    assert "Welcome back: your offer is active again." in text(client.get(HOME))
    client.post(f"{OFFER}/withdraw", data={"csrf_token": token})
    db.refresh(volunteer)
    home = text(client.get(HOME))
    assert volunteer.status == "withdrawn"
    assert "You still have 1 open matches: the program coordinator is told" in home
    assert "Volunteer again" in home
    event = db.query(AuditEvent).filter_by(action="volunteer.withdrawn").one()
    assert event.details["open_matches"] == 1


def test_a_repeat_mentor_is_welcomed_back_and_badged(client, factory, employee,
                                                     coordinator, db) -> None:
    volunteer = factory.volunteer(employee, status="withdrawn")
    factory.match(volunteer, status="closed")
    db.commit()
    sign_in_as(client, "staff", employee.id)
    assert "Welcome back, Zoë O'Brien!" in text(client.get(OFFER))
    assert offer(client).status_code == 302
    db.refresh(volunteer)
    assert volunteer.status == "pending" and volunteer.approved_at is None
    # One browser for both people: two clients would share the test app context's CSRF token.
    boss = client
    sign_in_as(boss, "staff", coordinator.id)
    assert "Repeat mentor" in text(boss.get(LIST))


def test_the_coordinator_pauses_an_offer_and_resuming_needs_approval_again(
        client, factory, employee, coordinator, db) -> None:
    volunteer = factory.volunteer(employee, status="approved", approved_at=utcnow())
    db.commit()
    # One browser for both people: two clients would share the test app context's CSRF token.
    boss = client
    sign_in_as(boss, "staff", coordinator.id)
    token = csrf_token(boss, LIST)
    boss.post(f"{LIST}/{volunteer.id}/pause", data={"csrf_token": token})
    db.refresh(volunteer)
    assert volunteer.status == "paused" and volunteer.approved_at is None
    sign_in_as(client, "staff", employee.id)
    client.post(f"{OFFER}/resume", data={"csrf_token": csrf_token(client, HOME)})
    db.refresh(volunteer)
    assert volunteer.status == "pending"


def test_a_mentor_cannot_approve(client, factory, employee, db) -> None:
    volunteer = factory.volunteer(factory.staff("Priya Sharma"), status="pending")
    db.commit()
    sign_in_as(client, "staff", employee.id)
    token = csrf_token(client, HOME)
    assert client.get(LIST).status_code == 403
    assert client.post(f"{LIST}/{volunteer.id}/approve",
                       data={"csrf_token": token}).status_code == 403
    db.refresh(volunteer)
    assert volunteer.status == "pending"


def test_changes_without_the_csrf_token_are_refused(client, factory, employee,
                                                    coordinator, db) -> None:
    volunteer = factory.volunteer(factory.staff("Priya Sharma"), status="pending")
    db.commit()
    sign_in_as(client, "staff", employee.id)
    assert client.post(OFFER, data=FORM).status_code == 400
    assert client.post(f"{OFFER}/withdraw").status_code == 400
    # One browser for both people: two clients would share the test app context's CSRF token.
    boss = client
    sign_in_as(boss, "staff", coordinator.id)
    assert boss.post(f"{LIST}/{volunteer.id}/approve").status_code == 400
    assert db.query(VolunteerProfile).filter_by(status="pending").count() == 1


def test_staff_search_occupations_like_agencies(client, employee) -> None:
    sign_in_as(client, "staff", employee.id)
    found = client.get("/mentoring/staff/occupations?q=civil%20engineers&lang=fr").get_json()
    assert {"code": "21300", "title": "Ingénieurs civils/ingénieures civiles"} in found["results"]
    converted = client.get("/mentoring/staff/occupations?q=2131&lang=en").get_json()
    assert converted["results"][0]["code"] == "21300"


def test_the_pages_speak_french(client, factory, coordinator, db) -> None:
    factory.occupation("21300")
    staff = factory.staff("Zoë O'Brien", preferred_locale="fr")
    factory.volunteer(factory.staff("Priya Sharma"), status="pending")
    coordinator.preferred_locale = "fr"
    db.commit()
    sign_in_as(client, "staff", staff.id)
    page = text(client.get(OFFER))
    assert "Profession (CNP 2021)" in page and "Mentorat individuel" in page
    assert "Langues dans lesquelles vous pouvez offrir du mentorat" in page
    assert "Devenir mentor bénévole" in text(client.get(HOME))
    # One browser for both people: two clients would share the test app context's CSRF token.
    boss = client
    sign_in_as(boss, "staff", coordinator.id)
    listing = text(boss.get(LIST))
    assert "En attente d'approbation" in listing
    assert "Ingénieurs civils/ingénieures civiles (21300)" in listing
    assert "Approuver" in listing
