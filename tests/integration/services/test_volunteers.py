"""Volunteering services: offers, their status changes, approval and the coordinator's list."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kit.models import AuditEvent, VolunteerProfile
from kit.models.base import utcnow
from kit.services.audit import Actor
from kit.services.volunteers import (
    Offer,
    VolunteerError,
    Window,
    approve_volunteer,
    is_repeat_mentor,
    list_volunteers,
    pause_offer,
    pause_volunteer,
    resume_offer,
    save_offer,
    withdraw_offer,
)

OFFER = Offer(noc_code="21300", years_experience=6, capacity=2, languages=("en", "fr"),
              formats=frozenset({"one_on_one", "connector"}),
              windows=(Window(3, 600, 660), Window(1, 840, 960)),
              goals_text="Licensing and site visits", naics_sector="23")


@pytest.fixture
def employee(factory, db):
    factory.occupation("21300")
    return factory.staff("Zoë O'Brien")


def actions(db) -> list[str]:
    return [e.action for e in db.query(AuditEvent).order_by(AuditEvent.id)]


def test_a_first_offer_awaits_approval_and_is_audited(db, employee) -> None:
    profile = save_offer(db, Actor("staff", employee.id), employee.id, OFFER)
    db.commit()
    assert profile.status == "pending" and profile.language_codes == ["en", "fr"]
    assert [(w.weekday, w.start_minute) for w in profile.availability] == [(1, 840), (3, 600)]
    assert (profile.offers_one_on_one, profile.offers_connector, profile.offers_group) == (
        True, True, False)
    assert profile.commitment_acknowledged_at is not None
    assert actions(db) == ["volunteer.offered"]


def test_changes_keep_an_approved_offer_approved(db, factory, employee) -> None:
    factory.volunteer(employee, status="approved", approved_at=utcnow())
    profile = save_offer(db, Actor("staff", employee.id), employee.id,
                         replace(OFFER, capacity=3, languages=("pa",), windows=(Window(0, 0, 60),)))
    db.commit()
    db.refresh(profile)
    assert (profile.status, profile.capacity, profile.language_codes) == ("approved", 3, ["pa"])
    assert [(w.weekday, w.end_minute) for w in profile.availability] == [(0, 60)]
    assert actions(db) == ["volunteer.updated"]


def test_offering_again_after_withdrawing_needs_approval_again(db, factory, employee) -> None:
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    factory.volunteer(employee, status="withdrawn", approved_at=utcnow(),
                      approved_by_id=coordinator.id)
    profile = save_offer(db, Actor("staff", employee.id), employee.id, OFFER)
    assert (profile.status, profile.approved_at, profile.approved_by_id) == ("pending", None, None)
    event = db.query(AuditEvent).one()
    assert event.details["from_status"] == "withdrawn"


@pytest.mark.parametrize(("change", "code"), [
    ({"years_experience": 1}, "not_enough_experience"),
    ({"capacity": 4}, "invalid_capacity"),
    ({"formats": frozenset()}, "invalid_formats"),
    ({"languages": ()}, "no_language"),
    ({"windows": ()}, "invalid_availability"),
    ({"windows": (Window(2, 600, 600),)}, "invalid_availability"),
    ({"noc_code": "21301"}, "unknown_occupation"),
])
def test_an_invalid_offer_is_refused(db, employee, change, code) -> None:
    with pytest.raises(VolunteerError) as refused:
        save_offer(db, Actor("staff", employee.id), employee.id, replace(OFFER, **change))
    assert refused.value.code == code
    assert db.query(VolunteerProfile).count() == 0


def test_pause_resume_withdraw_and_the_transitions_they_refuse(db, factory, employee) -> None:
    volunteer = factory.volunteer(employee, status="pending")
    factory.match(volunteer, status="proposed")
    me = Actor("staff", employee.id)
    with pytest.raises(VolunteerError, match="invalid_status"):
        resume_offer(db, me, employee.id)
    assert pause_offer(db, me, employee.id).status == "paused"
    # Never approved: resuming goes back to the coordinator.
    assert resume_offer(db, me, employee.id).status == "pending"
    profile, still_open = withdraw_offer(db, me, employee.id)
    assert (profile.status, still_open) == ("withdrawn", 1)
    for change in (pause_offer, withdraw_offer):
        with pytest.raises(VolunteerError, match="invalid_status"):
            change(db, me, employee.id)
    with pytest.raises(VolunteerError, match="not_found"):
        pause_offer(db, me, factory.staff("Nobody").id)
    assert actions(db) == ["volunteer.paused", "volunteer.resumed", "volunteer.withdrawn"]


def test_the_coordinator_approves_and_pauses(db, factory, employee) -> None:
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    boss = Actor("staff", coordinator.id)
    volunteer = factory.volunteer(employee, status="pending")
    approved = approve_volunteer(db, boss, volunteer.id)
    assert (approved.status, approved.approved_by_id) == ("approved", coordinator.id)
    assert approved.approved_at is not None
    with pytest.raises(VolunteerError, match="invalid_status"):
        approve_volunteer(db, boss, volunteer.id)
    paused = pause_volunteer(db, boss, volunteer.id)
    assert (paused.status, paused.approved_at) == ("paused", None)
    withdraw_offer(db, Actor("staff", employee.id), employee.id)
    with pytest.raises(VolunteerError, match="invalid_status"):
        approve_volunteer(db, boss, volunteer.id)
    with pytest.raises(VolunteerError, match="not_found"):
        approve_volunteer(db, boss, 9999)


def test_the_list_shows_pending_offers_first_with_languages_and_repeat_mentors(
        db, factory) -> None:
    factory.occupation("21300")
    factory.occupation("31301", "Registered nurses and registered psychiatric nurses",
                       "Infirmiers autorisés/infirmières autorisées")
    approved = factory.volunteer(factory.staff("Ada Approved"), status="approved")
    pending = factory.volunteer(factory.staff("Pat Pending", department="Health"),
                                status="pending", noc_code="31301", capacity=3)
    gone = factory.volunteer(factory.staff("Walt Withdrawn"), status="withdrawn")
    factory.match(approved, status="closed")
    factory.match(gone, status="declined")
    save_offer(db, Actor("staff", pending.staff_id), pending.staff_id,
               replace(OFFER, noc_code="31301", capacity=3, languages=("tl", "en")))
    rows, pages = list_volunteers(db, 1, 25)
    assert pages == 1
    assert [row.name for row in rows] == ["Pat Pending", "Ada Approved", "Walt Withdrawn"]
    first = rows[0]
    assert (first.department, first.noc_code, first.capacity, first.languages) == (
        "Health", "31301", 3, ("en", "tl"))
    assert first.title_fr == "Infirmiers autorisés/infirmières autorisées"
    assert [row.repeat_mentor for row in rows] == [False, True, False]
    assert is_repeat_mentor(db, approved.staff_id) and not is_repeat_mentor(db, gone.staff_id)
    second_page, pages = list_volunteers(db, 2, 2)
    assert pages == 2 and [row.name for row in second_page] == ["Walt Withdrawn"]
