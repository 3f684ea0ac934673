"""A match through the pages: the mentor answers, the newcomer answers, the coordinator closes;
and the manager's approval of the time through a signed link."""

from __future__ import annotations

import html
import re

import pytest
from conftest import csrf_token, sign_in_as

from kit.auth.newcomer_links import issue_link
from kit.models import Match, NewcomerLink, OutboxMessage, VolunteerProfile

STAFF = "/mentoring/staff/matches"
NEWCOMER = "/mentoring/newcomer/mentor"
COORDINATOR = "/mentoring/coordinator/matches"


@pytest.fixture
def pair(factory, db):
    factory.occupation("21300", "Civil engineers")
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    mentor = factory.staff("Marie Tremblay", title="Bridge engineer",
                           department="Engineering Services")
    volunteer = factory.volunteer(mentor)
    newcomer = factory.accepted_newcomer("Lan", career_goal="Design bridges again")
    match = factory.match(volunteer, newcomer, status="proposed", proposed_by_id=coordinator.id)
    db.commit()
    return {"coordinator": coordinator, "mentor": mentor, "volunteer": volunteer,
            "newcomer": newcomer, "match": match}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def as_newcomer(app, client, db, newcomer) -> None:
    issue_link(db, app.secret_key, newcomer.id, max_age_days=30)
    db.commit()
    link = db.query(NewcomerLink).filter_by(newcomer_id=newcomer.id).first()
    sign_in_as(client, "newcomer", newcomer.id, link.id)


def test_the_mentor_sees_why_and_accepts(client, db, pair) -> None:
    sign_in_as(client, "staff", pair["mentor"].id)
    page = text(client.get(STAFF))
    assert "Lan Lan" in page
    assert "Same occupation: Civil engineers (21300)" in page
    token = csrf_token(client, STAFF)
    response = client.post(f"{STAFF}/{pair['match'].id}/accept", data={"csrf_token": token},
                           follow_redirects=True)
    assert "The newcomer is asked to accept" in text(response)
    db.expire_all()
    assert db.get(Match, pair["match"].id).status == "mentor_accepted"
    # Accepting twice says so.
    again = client.post(f"{STAFF}/{pair['match'].id}/accept", data={"csrf_token": token},
                        follow_redirects=True)
    assert "This match is already accepted by the mentor." in text(again)


def test_the_mentor_must_say_why_to_decline(client, db, pair) -> None:
    sign_in_as(client, "staff", pair["mentor"].id)
    token = csrf_token(client, STAFF)
    url = f"{STAFF}/{pair['match'].id}/decline"
    refused = client.post(url, data={"csrf_token": token, "reason": "  "})
    assert refused.status_code == 422
    assert re.search(r'class="kit-error" id="reason-\d+-decline-error">Say why',
                     text(refused))
    assert client.post(url, data={"csrf_token": token, "reason": "x" * 501}).status_code == 422
    done = client.post(url, data={"csrf_token": token, "reason": "On leave in October"})
    assert done.status_code == 302
    db.expire_all()
    match = db.get(Match, pair["match"].id)
    assert (match.status, match.decline_reason) == ("declined", "On leave in October")


def test_nobody_answers_for_another_mentor(client, factory, db, pair) -> None:
    other = factory.staff("Other employee")
    db.commit()
    sign_in_as(client, "staff", other.id)
    token = csrf_token(client, STAFF)
    assert "Lan Lan" not in text(client.get(STAFF))
    assert client.post(f"{STAFF}/{pair['match'].id}/accept",
                       data={"csrf_token": token}).status_code == 404


def test_the_newcomer_accepts_and_the_agreement_shows(app, client, db, pair) -> None:
    pair["match"].status = "mentor_accepted"
    db.commit()
    as_newcomer(app, client, db, pair["newcomer"])
    page = text(client.get(NEWCOMER))
    assert "Marie Tremblay" in page and "Bridge engineer" in page
    assert "Engineering Services" in page
    assert "Same occupation: Civil engineers (21300)" in page
    token = csrf_token(client, NEWCOMER)
    client.post(f"{NEWCOMER}/{pair['match'].id}/accept", data={"csrf_token": token})
    db.expire_all()
    match = db.get(Match, pair["match"].id)
    assert match.status == "active" and match.goals == "Design bridges again"
    page = text(client.get(NEWCOMER))
    assert "Target hours" in page and "Design bridges again" in page
    assert db.query(OutboxMessage).filter(
        OutboxMessage.recipient.contains(pair["mentor"].email)).count() == 1
    sign_in_as(client, "staff", pair["mentor"].id)
    assert "Design bridges again" in text(client.get(STAFF))


def test_the_newcomer_does_not_see_a_proposal_before_the_mentor_accepts(app, client, db,
                                                                        pair) -> None:
    as_newcomer(app, client, db, pair["newcomer"])
    assert "Marie Tremblay" not in text(client.get(NEWCOMER))
    token = csrf_token(client, NEWCOMER)
    assert client.post(f"{NEWCOMER}/{pair['match'].id}/accept",
                       data={"csrf_token": token}).status_code == 302
    db.expire_all()
    assert db.get(Match, pair["match"].id).status == "proposed"


def test_the_newcomer_must_say_why_to_decline(app, client, db, pair) -> None:
    pair["match"].status = "mentor_accepted"
    db.commit()
    as_newcomer(app, client, db, pair["newcomer"])
    token = csrf_token(client, NEWCOMER)
    url = f"{NEWCOMER}/{pair['match'].id}/decline"
    assert client.post(url, data={"csrf_token": token, "reason": ""}).status_code == 422
    assert client.post(url, data={"csrf_token": token, "reason": "I found work"}
                       ).status_code == 302
    db.expire_all()
    assert db.get(Match, pair["match"].id).status == "declined"


def test_the_coordinator_closes_with_a_note_when_early(client, db, pair) -> None:
    pair["match"].status = "active"
    db.commit()
    sign_in_as(client, "staff", pair["coordinator"].id)
    detail = f"{COORDINATOR}/{pair['match'].id}"
    page = text(client.get(detail))
    assert "Close the match" in page and "Why this pair" in page
    token = csrf_token(client, detail)
    refused = client.post(f"{detail}/close", data={"csrf_token": token,
                                                   "reason": "ended_by_coordinator"})
    assert refused.status_code == 422
    assert "Say why the match ends early." in text(refused)
    assert client.post(f"{detail}/close", data={"csrf_token": token, "reason": "bogus"}
                       ).status_code == 422
    done = client.post(f"{detail}/close", data={"csrf_token": token, "reason": "completed"},
                       follow_redirects=True)
    assert "The match is closed" in text(done)
    assert "Completed" in text(done)
    again = client.post(f"{detail}/close", data={"csrf_token": token, "reason": "completed"},
                        follow_redirects=True)
    assert "This match is already closed." in text(again)
    assert client.get(f"{COORDINATOR}/999999").status_code == 404


def test_wrong_roles_are_refused(app, client, factory, db, pair) -> None:
    as_newcomer(app, client, db, pair["newcomer"])
    assert client.get(STAFF).status_code == 403
    assert client.get(f"{COORDINATOR}/{pair['match'].id}").status_code == 403
    sign_in_as(client, "staff", pair["mentor"].id)
    assert client.get(NEWCOMER).status_code == 403
    assert client.get(f"{COORDINATOR}/{pair['match'].id}").status_code == 403


@pytest.mark.kit_config(KIT_MANAGER_APPROVAL=True)
def test_the_manager_approves_the_time_through_a_signed_link(client, factory, db) -> None:
    factory.occupation("21300")
    boss = factory.staff("Boss", directory_id="boss", preferred_locale="fr")
    employee = factory.staff("Zoë O'Brien", manager_directory_id="boss")
    db.commit()
    sign_in_as(client, "staff", employee.id)
    client.post("/mentoring/staff/volunteer", data={
        "csrf_token": csrf_token(client, "/mentoring/staff/volunteer"), "noc": "21300",
        "years_experience": "8", "languages": "en", "capacity": "1", "formats": ["one_on_one"],
        "windows-0-weekday": "1", "windows-0-start": "14:00", "windows-0-end": "16:00",
        "goals_text": "Bridges", "commitment": "y"})
    profile = db.query(VolunteerProfile).one()
    assert profile.manager_approval == "pending"
    mail = db.query(OutboxMessage).filter(OutboxMessage.recipient.contains(boss.email)).one()
    assert mail.locale == "fr"
    link = re.search(r"http://localhost(/\S+)", mail.body_text).group(1)

    page = client.get(link)  # no sign-in needed (one browser here: CSRF tokens live in g)
    assert page.status_code == 200 and "Zoë O'Brien" in text(page)
    token = csrf_token(client, link)
    bad = client.post(link, data={"csrf_token": token, "decision": "maybe"})
    assert bad.status_code == 422
    response = client.post(link, data={"csrf_token": token, "decision": "decline"},
                           follow_redirects=True)
    assert "your answer is recorded" in text(response)
    db.expire_all()
    assert db.get(VolunteerProfile, profile.id).manager_approval == "declined"
    again = client.post(link, data={"csrf_token": token, "decision": "approve"},
                        follow_redirects=True)
    assert "This request was already answered." in text(again)
    assert client.get(link + "x").status_code == 404


def test_an_active_match_shows_its_pace_and_a_way_to_schedule(client, db, factory) -> None:
    factory.occupation("21300", "Civil engineers")
    mentor = factory.staff("Marie Tremblay")
    newcomer = factory.accepted_newcomer("Lan")
    match = factory.match(factory.volunteer(mentor), newcomer, status="active")
    factory.hours(mentor, match, hours="6")
    db.commit()
    sign_in_as(client, "staff", mentor.id)
    page = text(client.get(STAFF))
    assert "Expected by now" in page
    assert "6 of 24 h" in page
    assert f"/mentoring/staff/sessions/new?match={match.id}" in page
