"""The coordinator's matching pages: suggestions with reasons, proposing, batch, rules, publish."""

from __future__ import annotations

import html

import pytest
from conftest import csrf_token, sign_in_as

from kit.auth.newcomer_links import issue_link
from kit.models import Match, MatchPairRule, NewcomerLink, VolunteerLanguage

BASE = "/mentoring/coordinator"


@pytest.fixture
def program(factory, db):
    factory.occupation("21300", "Civil engineers")
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    cohort = factory.cohort("Fall 2027")
    marie = factory.volunteer(factory.staff("Marie Tremblay", title="Bridge engineer",
                                            department="Engineering Services"), capacity=2)
    db.add(VolunteerLanguage(volunteer_id=marie.id, language="fr"))
    lan = factory.accepted_newcomer("Lan", cohort, languages=("fr",), preferred_locale="fr")
    omar = factory.accepted_newcomer("Omar", cohort)
    db.commit()
    return {"coordinator": coordinator, "cohort": cohort, "marie": marie, "lan": lan,
            "omar": omar}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def signed_in(client, program) -> None:
    sign_in_as(client, "staff", program["coordinator"].id)


def test_suggestions_for_a_newcomer_show_score_and_reasons(client, program) -> None:
    signed_in(client, program)
    page = text(client.get(f"{BASE}/newcomers/{program['lan'].id}/mentors"))
    assert "Marie Tremblay" in page and "Bridge engineer" in page
    assert "Same occupation: Civil engineers (21300)" in page
    assert "Both speak French" in page
    assert "Propose" in page


def test_suggestions_for_a_mentor_list_newcomers(client, program) -> None:
    signed_in(client, program)
    page = text(client.get(f"{BASE}/volunteers/{program['marie'].id}/newcomers"))
    assert "Lan Lan" in page and "Omar Lan" in page
    assert "2 places left" in page
    assert client.get(f"{BASE}/volunteers/999999/newcomers").status_code == 404
    assert client.get(f"{BASE}/newcomers/999999/mentors").status_code == 404


def test_proposing_a_pair_creates_a_proposed_match(client, db, program) -> None:
    signed_in(client, program)
    token = csrf_token(client, f"{BASE}/newcomers/{program['lan'].id}/mentors")
    response = client.post(f"{BASE}/matches/propose", data={
        "csrf_token": token, "volunteer_id": program["marie"].id,
        "newcomer_id": program["lan"].id, "back": "newcomer"})
    assert response.status_code == 302
    match = db.query(Match).one()
    assert (match.status, match.proposed_by_id) == ("proposed", program["coordinator"].id)
    assert f"/matches/{match.id}" in response.location
    page = text(client.get(response.location))
    assert "Lan Lan" in page and "Marie Tremblay" in page and "Proposed" in page

    # The same pair again is refused with a message, not an error page.
    again = client.post(f"{BASE}/matches/propose", data={
        "csrf_token": token, "volunteer_id": program["marie"].id,
        "newcomer_id": program["lan"].id}, follow_redirects=True)
    assert "This newcomer already has a mentor proposed or active." in text(again)
    assert db.query(Match).count() == 1


def test_bad_input_is_refused_with_422(client, program) -> None:
    signed_in(client, program)
    token = csrf_token(client, f"{BASE}/matches")
    cohort = program["cohort"].id
    assert client.post(f"{BASE}/matches/propose", data={
        "csrf_token": token, "volunteer_id": "abc", "newcomer_id": ""}).status_code == 422
    assert client.post(f"{BASE}/cohorts/{cohort}/matching/rules", data={
        "csrf_token": token, "volunteer_id": program["marie"].id,
        "newcomer_id": program["lan"].id, "kind": "maybe"}).status_code == 422
    assert client.post(f"{BASE}/cohorts/{cohort}/matching/publish", data={
        "csrf_token": token}).status_code == 422
    assert client.post(f"{BASE}/cohorts/{cohort}/matching/publish", data={
        "csrf_token": token, "pair": "1-x"}).status_code == 422
    assert client.post(f"{BASE}/matches/propose", data={
        "volunteer_id": 1, "newcomer_id": 1}).status_code == 400  # no CSRF token


def test_the_batch_page_runs_pins_excludes_and_publishes(client, db, program) -> None:
    signed_in(client, program)
    cohort = program["cohort"].id
    batch = f"{BASE}/cohorts/{cohort}/matching"
    page = text(client.get(batch))
    assert "Batch matching: Fall 2027" in page
    assert "2 pairs, total score" in page
    token = csrf_token(client, batch)

    response = client.post(f"{batch}/rules", data={
        "csrf_token": token, "volunteer_id": program["marie"].id,
        "newcomer_id": program["omar"].id, "kind": "exclude"})
    assert response.status_code == 302
    page = text(client.get(batch))
    assert "1 pair, total score" in page
    assert "Excluded: Omar Lan \N{EN DASH} Marie Tremblay" in page

    rule = db.query(MatchPairRule).one()
    client.post(f"{batch}/rules/{rule.id}/remove", data={"csrf_token": token})
    assert db.query(MatchPairRule).count() == 0

    response = client.post(f"{batch}/publish", data={
        "csrf_token": token,
        "pair": [f"{program['marie'].id}-{program['lan'].id}",
                 f"{program['marie'].id}-{program['omar'].id}"]}, follow_redirects=True)
    assert "2 matches proposed" in text(response)
    assert {m.status for m in db.query(Match)} == {"proposed"}
    assert "Every accepted newcomer of this cohort has a mentor" in text(client.get(batch))


def test_publishing_pairs_that_changed_says_so(client, db, factory, program) -> None:
    signed_in(client, program)
    batch = f"{BASE}/cohorts/{program['cohort'].id}/matching"
    token = csrf_token(client, batch)
    factory.match(program["marie"], program["lan"], status="declined")
    db.commit()
    response = client.post(f"{batch}/publish", data={
        "csrf_token": token, "pair": f"{program['marie'].id}-{program['lan'].id}"},
        follow_redirects=True)
    assert "1 pair was not proposed" in text(response)


def test_the_matches_list_filters_by_status(client, factory, db, program) -> None:
    factory.match(program["marie"], program["lan"], status="active")
    factory.match(program["marie"], program["omar"], status="declined")
    db.commit()
    signed_in(client, program)
    page = text(client.get(f"{BASE}/matches"))
    assert "Lan Lan" in page and "Omar Lan" in page
    assert "Match the newcomers of Fall 2027" in page
    page = text(client.get(f"{BASE}/matches?status=active"))
    assert "Lan Lan" in page and "Omar Lan" not in page
    assert client.get(f"{BASE}/matches?status=nonsense&page=x").status_code == 200


def test_occupations_are_named_in_the_readers_language(client, factory, db, program) -> None:
    french = factory.staff("Coordonnatrice", roles=("coordinator",), preferred_locale="fr")
    db.commit()
    sign_in_as(client, "staff", french.id)
    page = text(client.get(f"{BASE}/newcomers/{program['lan'].id}/mentors"))
    assert "Ingénieurs civils/ingénieures civiles (21300)" in page


@pytest.mark.parametrize("path", ["/matches", "/cohorts/{cohort}/matching",
                                  "/newcomers/{lan}/mentors", "/volunteers/{marie}/newcomers"])
def test_other_roles_are_refused(app, client, factory, db, program, path) -> None:
    employee = factory.staff("Employee")
    db.commit()
    url = BASE + path.format(cohort=program["cohort"].id, lan=program["lan"].id,
                             marie=program["marie"].id)
    sign_in_as(client, "staff", employee.id)
    assert client.get(url).status_code == 403
    issue_link(db, app.secret_key, program["lan"].id, max_age_days=30)
    db.commit()
    link = db.query(NewcomerLink).filter_by(newcomer_id=program["lan"].id).one()
    sign_in_as(client, "newcomer", program["lan"].id, link.id)
    assert client.get(url).status_code == 403
