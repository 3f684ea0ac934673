"""Each role's landing page shows that person's real data, or says what to do next."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import sign_in_as
from flask import Flask

from kit.models.base import utcnow


def test_strangers_are_sent_to_sign_in(client) -> None:
    response = client.get("/mentoring/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/mentoring/sign-in?next=/mentoring/staff/")


def test_the_index_sends_each_person_home(client, factory, db) -> None:
    mentor = factory.staff()
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    db.commit()
    sign_in_as(client, "staff", mentor.id)
    assert client.get("/mentoring/").headers["Location"] == "/mentoring/staff/"
    sign_in_as(client, "staff", coordinator.id)
    assert client.get("/mentoring/").headers["Location"] == "/mentoring/coordinator/"


def test_a_mentor_sees_their_matches_sessions_and_hours(client, factory, db) -> None:
    volunteer = factory.volunteer(capacity=2)
    newcomer = factory.newcomer("Nguyễn Thị", "Lan", career_goal="Work as a civil engineer")
    match = factory.match(volunteer, newcomer)
    factory.session(match, starts_in=timedelta(days=2))
    factory.hours(volunteer.staff, match, hours="3.5")
    factory.hours(volunteer.staff, match, hours="1", status="pending")
    other = factory.match(newcomer=factory.newcomer("Someone", "Else"))
    db.commit()
    sign_in_as(client, "staff", volunteer.staff_id)
    html = client.get("/mentoring/staff/").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html
    assert "Civil engineers (21300)" in html
    assert "3.5 of 24 h" in html
    assert "1 more hours await confirmation" in html
    assert "Job shadowing" in html and "City Hall, Room 301" in html
    assert "Someone Else" not in html, f"another mentor's match {other.id} leaked"


def test_an_employee_who_has_not_volunteered_is_told_how(client, factory, db) -> None:
    staff = factory.staff()
    db.commit()
    sign_in_as(client, "staff", staff.id)
    html = client.get("/mentoring/staff/").get_data(as_text=True)
    assert "You have not volunteered as a mentor yet." in html
    assert "No session scheduled." in html


def test_a_mentor_cannot_open_the_coordinator_page(client, factory, db) -> None:
    staff = factory.staff()
    db.commit()
    sign_in_as(client, "staff", staff.id)
    response = client.get("/mentoring/coordinator/")
    assert response.status_code == 403
    assert "Your account does not give access to this page." in response.get_data(as_text=True)


def test_the_coordinator_sees_what_awaits_a_decision(client, factory, db) -> None:
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    agency = factory.agency("Riverside Immigrant Services")
    factory.referral(factory.newcomer("Łukasz", "Wójcik"), agency, status="submitted")
    factory.referral(factory.newcomer("Ana", "Decided"), agency, status="accepted")
    factory.volunteer(factory.staff("Priya Sharma"), status="pending")
    factory.match(status="active")
    db.commit()
    sign_in_as(client, "staff", coordinator.id)
    html = client.get("/mentoring/coordinator/").get_data(as_text=True)
    assert "Łukasz Wójcik" in html and "Riverside Immigrant Services" in html
    assert "Ana Decided" not in html
    assert "Priya Sharma" in html
    assert '<span class="kit-figure">1</span> active matches' in html


def test_open_matches_of_a_mentor_who_left_are_flagged(client, factory, db) -> None:
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    match = factory.match(newcomer=factory.newcomer("José", "Ramírez-García"))
    db.commit()
    sign_in_as(client, "staff", coordinator.id)
    assert "mentor left" not in client.get("/mentoring/coordinator/").get_data(as_text=True)
    match.volunteer.staff.is_active = False
    db.commit()
    html = client.get("/mentoring/coordinator/").get_data(as_text=True)
    assert "Open matches whose mentor left the program" in html
    assert "José Ramírez-García, mentored by Zoë O&#39;Brien" in html


def test_an_empty_program_tells_the_coordinator_what_to_do(client, factory, db) -> None:
    coordinator = factory.staff(roles=("admin",))
    db.commit()
    sign_in_as(client, "staff", coordinator.id)
    html = client.get("/mentoring/coordinator/").get_data(as_text=True)
    assert "No referral is waiting." in html
    assert "Accept referrals and approve volunteers, then propose matches." in html


def test_an_agency_sees_only_its_own_referrals(client, factory, db) -> None:
    ours, theirs = factory.agency("Harbourview"), factory.agency("Pacific Bridges")
    caseworker = factory.agency_user(ours)
    factory.referral(factory.newcomer("محمد", "الأحمد"), ours, status="referred_back")
    factory.referral(factory.newcomer("Not", "Ours"), theirs)
    db.commit()
    sign_in_as(client, "agency", caseworker.id)
    html = client.get("/mentoring/agency/").get_data(as_text=True)
    assert "Referrals from Harbourview" in html
    assert "محمد الأحمد" in html and "Referred back" in html
    assert "Not Ours" not in html


@pytest.mark.kit_config(KIT_PAGE_SIZE=2)
def test_long_referral_lists_are_paged(client, factory, db) -> None:
    agency = factory.agency()
    caseworker = factory.agency_user(agency)
    for number in range(5):
        factory.referral(factory.newcomer(f"Person{number}", None), agency,
                         submitted_at=utcnow() - timedelta(days=number))
    db.commit()
    sign_in_as(client, "agency", caseworker.id)
    first = client.get("/mentoring/agency/").get_data(as_text=True)
    assert "Person0" in first and "Person1" in first and "Person2" not in first
    assert "Page 1 of 3" in first
    last = client.get("/mentoring/agency/?page=3").get_data(as_text=True)
    assert "Person4" in last and "Person0" not in last
    assert client.get("/mentoring/agency/?page=abc").status_code == 200


def test_a_newcomer_link_opens_only_their_own_page(app: Flask, client, factory, db) -> None:
    from kit.auth.newcomer_links import issue_link

    match = factory.match(newcomer=factory.newcomer("Ngũgĩ", None))
    factory.session(match, starts_in=timedelta(days=5))
    factory.hours(match.volunteer.staff, match, status="pending")
    token = issue_link(db, app.secret_key, match.newcomer_id, max_age_days=30)
    db.commit()
    response = client.get(f"/mentoring/newcomer/link/{token}")
    assert response.headers["Location"] == "/mentoring/newcomer/"
    html = client.get("/mentoring/newcomer/").get_data(as_text=True)
    assert "Welcome, Ngũgĩ" in html
    assert "Zoë O&#39;Brien" in html
    assert "Hours to confirm: 1" in html
    assert client.get("/mentoring/staff/").status_code == 403
    assert client.get("/mentoring/agency/").status_code == 403


def test_a_revoked_or_forged_link_is_refused(app: Flask, client, factory, db) -> None:
    from kit.auth.newcomer_links import issue_link, revoke_links

    newcomer = factory.newcomer()
    token = issue_link(db, app.secret_key, newcomer.id, max_age_days=30)
    db.commit()
    assert client.get(f"/mentoring/newcomer/link/{token}x").status_code == 404
    assert client.get(f"/mentoring/newcomer/link/{token}").status_code == 302
    revoke_links(db, newcomer.id)
    db.commit()
    assert client.get("/mentoring/newcomer/").status_code == 302
    response = client.get(f"/mentoring/newcomer/link/{token}")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)


def test_a_newcomer_without_a_match_is_reassured(app: Flask, client, factory, db) -> None:
    from kit.auth.newcomer_links import issue_link

    token = issue_link(db, app.secret_key, factory.newcomer().id, max_age_days=30)
    db.commit()
    client.get(f"/mentoring/newcomer/link/{token}")
    html = client.get("/mentoring/newcomer/").get_data(as_text=True)
    assert "You do not have a mentor yet." in html


def test_a_deactivated_employee_loses_access(client, factory, db) -> None:
    staff = factory.staff()
    db.commit()
    sign_in_as(client, "staff", staff.id)
    assert client.get("/mentoring/staff/").status_code == 200
    staff.is_active = False
    db.commit()
    assert client.get("/mentoring/staff/").status_code == 302


def test_the_menu_groups_the_links_of_each_role(client, factory, db) -> None:
    mentor = factory.staff()
    lead = factory.staff("Amara Okafor", roles=("coordinator", "admin"), preferred_locale="fr")
    db.commit()
    sign_in_as(client, "staff", lead.id)
    html = client.get("/mentoring/coordinator/").get_data(as_text=True)
    labels = ("Bénévolat", "Coordination du programme", "Administration")
    positions = [html.index(f'class="kit-nav-group-label" id="kit-nav-{key}">{label}')
                 for key, label in zip(("volunteering", "coordination", "administration"),
                                       labels, strict=True)]
    assert positions == sorted(positions)
    assert 'aria-labelledby="kit-nav-administration"' in html
    sign_in_as(client, "staff", mentor.id)
    html = client.get("/mentoring/staff/").get_data(as_text=True)
    assert "/mentoring/staff/hours" in html and "kit-nav-group-label" not in html  # no labels
