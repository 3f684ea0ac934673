"""Referrals through the API: create, read, list, correct, withdraw; only the agency's own."""

from __future__ import annotations

from api.support import REFERRAL, api_client, error_of
from kit.models import AgencyApiKey, AuditEvent, OutboxMessage, Referral
from kit.services.audit import Actor
from kit.services.referrals import decide_referral


def test_a_created_referral_is_submitted_with_eligibility_and_history(api, db, factory) -> None:
    factory.staff("Coordinator Kim", roles=("coordinator",), email="kim@city.example")
    db.commit()
    response = api.post("/referrals", REFERRAL)
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/mentoring/api/v1/referrals/{body['id']}"
    assert body["status"] == "submitted" and body["submitted_at"]
    assert [(h["from"], h["to"], h["actor_kind"]) for h in body["history"]] == [
        (None, "draft", "agency"), ("draft", "submitted", "agency")]
    assert {e["criterion"]: e["passed"] for e in body["eligibility"]} == {
        "immigration_status": True, "education_abroad": True, "language_level": True,
        "residence": True, "job_search_workshop": True}
    assert body["newcomer"]["given_name"] == "Nguyễn Thị"
    assert body["newcomer"]["consent_version"] == "2026-1"
    referral = db.get(Referral, body["id"])
    assert referral.agency_id == api.agency.id
    assert ["kim@city.example" in m.recipient for m in db.query(OutboxMessage)] == [True]


def test_a_draft_stays_a_draft_until_submitted(api, db) -> None:
    draft = api.refer(submit=False)
    assert draft["status"] == "draft" and draft["submitted_at"] is None
    response = api.put(f"/referrals/{draft['id']}", {**REFERRAL, "clb_reading": 9})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "submitted" and body["newcomer"]["clb_reading"] == 9


def test_a_submitted_or_accepted_referral_cannot_be_changed(api, db, factory) -> None:
    referral = api.refer()
    response = api.put(f"/referrals/{referral['id']}", REFERRAL)
    assert response.status_code == 409 and error_of(response)["code"] == "not_editable"
    coordinator = factory.staff(roles=("coordinator",))
    decide_referral(db, Actor("staff", coordinator.id), referral_id=referral["id"], accept=True)
    db.commit()
    response = api.put(f"/referrals/{referral['id']}", REFERRAL)
    assert response.status_code == 409
    response = api.post(f"/referrals/{referral['id']}/withdraw")
    assert response.status_code == 409 and error_of(response)["code"] == "not_withdrawable"


def test_a_referred_back_referral_shows_the_reasons_and_can_be_resubmitted(api, db,
                                                                           factory) -> None:
    referral = api.refer(clb_reading=3)
    coordinator = factory.staff(roles=("coordinator",))
    decide_referral(db, Actor("staff", coordinator.id), referral_id=referral["id"],
                    accept=False, reason_codes=["language_level"], note="CLB 5 needed")
    db.commit()
    body = api.get(f"/referrals/{referral['id']}").get_json()
    assert body["status"] == "referred_back" and body["decided_at"]
    assert body["reason_codes"] == ["language_level"] and body["decision_note"] == "CLB 5 needed"
    assert body["history"][-1]["actor_kind"] == "staff"
    resubmitted = api.put(f"/referrals/{referral['id']}", {**REFERRAL, "clb_reading": 6})
    assert resubmitted.get_json()["status"] == "submitted"
    assert resubmitted.get_json()["decided_at"] is None


def test_withdrawing_keeps_the_note_in_the_history(api) -> None:
    referral = api.refer()
    response = api.post(f"/referrals/{referral['id']}/withdraw",
                        {"note": "Found a job already"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "withdrawn"
    assert body["history"][-1] == {**body["history"][-1], "to": "withdrawn",
                                   "note": "Found a job already"}
    again = api.post(f"/referrals/{referral['id']}/withdraw")
    assert again.status_code == 409


def test_a_withdrawal_note_must_be_text(api) -> None:
    referral = api.refer()
    response = api.post(f"/referrals/{referral['id']}/withdraw", {"note": 3})
    assert response.status_code == 422 and "note" in error_of(response)["fields"]
    response = api.post(f"/referrals/{referral['id']}/withdraw", {"reason": "x"})
    assert response.status_code == 400 and error_of(response)["code"] == "unknown_field"


def test_reading_a_referral_is_in_the_audit_log(api, db) -> None:
    referral = api.refer()
    db.query(AuditEvent).filter_by(action="newcomer.viewed").delete()
    db.commit()
    assert api.get(f"/referrals/{referral['id']}").status_code == 200
    views = db.query(AuditEvent).filter_by(action="newcomer.viewed").all()
    assert len(views) == 1 and views[0].actor_kind == "agency"
    assert views[0].subject_id == str(db.get(Referral, referral["id"]).newcomer_id)
    # Which of the agency's keys acted, for the views and for the referral it created.
    [key] = db.query(AgencyApiKey).all()
    assert views[0].details == {"what": "profile", "api_key": key.id}
    [created] = db.query(AuditEvent).filter_by(action="referral.created").all()
    assert created.details["api_key"] == key.id
    api.get("/referrals")
    listed = db.query(AuditEvent).filter_by(action="newcomer.viewed").all()
    assert {event.details["api_key"] for event in listed} == {key.id}


def test_another_agencys_referral_is_not_found(api, client, factory, db) -> None:
    other = api_client(client, factory, db, factory.agency("Pacific Bridges"))
    theirs = other.refer(email="someone@mail.example")
    mine = api.refer()
    missing = api.get("/referrals/999999")
    for response in (api.get(f"/referrals/{theirs['id']}"),
                     api.put(f"/referrals/{theirs['id']}", REFERRAL),
                     api.post(f"/referrals/{theirs['id']}/withdraw")):
        assert response.status_code == 404
        assert error_of(response) == error_of(missing)
    assert db.get(Referral, theirs["id"]).status == "submitted"
    listed = api.get("/referrals").get_json()
    assert [item["id"] for item in listed["items"]] == [mine["id"]] and listed["total"] == 1


def test_a_duplicate_in_another_agency_is_not_disclosed(api, client, factory, db) -> None:
    other = api_client(client, factory, db, factory.agency("Pacific Bridges"))
    theirs = other.refer()
    mine = api.refer()
    assert db.get(Referral, mine["id"]).duplicate_of_id == theirs["id"]
    assert mine["duplicate_of"] is None
    again = api.refer(given_name="Lan")
    assert again["duplicate_of"] == mine["id"]


def test_huge_ids_are_simply_not_found(api) -> None:
    assert api.get(f"/referrals/{2**63}").status_code == 404
    assert api.put(f"/referrals/{2**40}", REFERRAL).status_code == 404
    assert api.get("/referrals/abc").status_code == 404


def test_the_list_is_paginated_with_links(api) -> None:
    created = [api.refer(email=f"person{n}@mail.example")["id"] for n in range(5)]
    first = api.get("/referrals?per_page=2")
    body = first.get_json()
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (5, 1, 2, 3)
    assert [item["id"] for item in body["items"]] == created[::-1][:2]
    links = first.headers["Link"]
    assert 'page=2&per_page=2>; rel="next"' in links and 'page=3&per_page=2>; rel="last"' in links
    assert 'rel="prev"' not in links
    last = api.get("/referrals?per_page=2&page=3")
    assert [item["id"] for item in last.get_json()["items"]] == [created[0]]
    assert 'rel="next"' not in last.headers["Link"] and 'rel="prev"' in last.headers["Link"]
    assert api.get("/referrals?per_page=2&page=9").get_json()["items"] == []


def test_the_list_filters_by_status(api) -> None:
    draft = api.refer(submit=False)
    api.refer(email="other@mail.example")
    body = api.get("/referrals?status=draft").get_json()
    assert [item["id"] for item in body["items"]] == [draft["id"]]
    assert "status=draft" in api.get("/referrals?status=draft").headers["Link"]


def test_bad_list_parameters_are_refused(api) -> None:
    for query in ("per_page=101", "per_page=0", "page=-1", "page=x", "status=lost"):
        response = api.get(f"/referrals?{query}")
        assert response.status_code == 400, query
        error = error_of(response)
        assert error["code"] == "invalid_parameter" and error["fields"], query


def test_eligibility_preview_saves_nothing(api, db) -> None:
    body = {**REFERRAL, "clb_reading": 3, "immigration_status": "work_permit"}
    del body["consent"]
    response = api.post("/eligibility", body)
    assert response.status_code == 200
    results = {e["criterion"]: e["passed"] for e in response.get_json()["eligibility"]}
    assert results["language_level"] is False and results["immigration_status"] is False
    assert results["education_abroad"] is True
    assert response.get_json()["eligible"] is False
    assert db.query(Referral).count() == 0
    invalid = api.post("/eligibility", {**body, "clb_reading": 40})
    assert invalid.status_code == 422


def test_occupations_are_found_by_words_in_either_language_and_by_code(api) -> None:
    english = api.get("/occupations?q=civil+engineers&lang=en").get_json()["items"]
    assert english[0]["code"] == "21300" and english[0]["title"] == "Civil engineers"
    french = api.get("/occupations?q=genie+civil&lang=fr").get_json()["items"]
    assert "21300" in [item["code"] for item in french]
    assert all(len(item["code"]) == 5 for item in french)
    by_french_title = api.get("/occupations?q=ingénieurs+civils&lang=fr").get_json()["items"]
    assert by_french_title[0]["title"].startswith("Ingénieurs civils")
    by_old_code = api.get("/occupations?q=2131").get_json()["items"]
    assert by_old_code[0]["code"] == "21300"
    assert api.get("/occupations?q=213&limit=2").get_json()["items"].__len__() == 2
    assert api.get("/occupations?q=x&lang=de").status_code == 400
    assert api.get("/occupations").get_json()["items"] == []
