"""Referral use cases: create, eligibility, duplicates, decisions, agency isolation."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from flask import Flask

from kit import get_state
from kit.models import AuditEvent, EligibilityRule, Referral
from kit.services.audit import Actor
from kit.services.referrals import (
    Consent,
    ReferralError,
    create_referral,
    decide_referral,
    update_referral,
    withdraw_referral,
)

PROFILE = {
    "given_name": "Nguyễn Thị", "family_name": "Lan", "email": "lan@mail.example",
    "phone": "+1 604-555-0101", "birth_date": date(1990, 5, 17), "preferred_locale": "fr",
    "languages": ["vi", "en"], "immigration_status": "permanent_resident",
    "country_of_education": "VN", "clb_listening": 7, "clb_speaking": 6, "clb_reading": 7,
    "clb_writing": 6, "target_noc_code": "21300", "career_goal": "Civil engineering",
    "residence_area": "Port Alder", "job_search_workshop_completed": True,
}


@pytest.fixture
def agency(factory, db):
    factory.occupation()
    agency = factory.agency("Harbourview")
    db.commit()
    return agency


def refer(db, agency, **changes) -> Referral:
    referral = create_referral(db, Actor("agency", None), agency_id=agency.id,
                               profile={**PROFILE, **changes}, consent=Consent("2026-1"))
    db.commit()
    return referral


def test_a_referral_is_submitted_with_its_eligibility_and_history(db, agency) -> None:
    referral = refer(db, agency)
    assert referral.status == "submitted" and referral.submitted_at is not None
    assert {r.criterion: r.passed for r in referral.eligibility_results} == {
        "immigration_status": True, "education_abroad": True, "language_level": True,
        "residence": True, "job_search_workshop": True}
    assert [(c.from_status, c.to_status) for c in referral.status_changes] == [
        (None, "draft"), ("draft", "submitted")]
    assert sorted(lang.language for lang in referral.newcomer.languages) == ["en", "vi"]
    assert referral.newcomer.consent_version == "2026-1"
    assert db.query(AuditEvent).filter_by(action="referral.created").count() == 1


def test_the_admins_rules_apply(db, agency) -> None:
    db.add(EligibilityRule(criterion="language_level", enabled=True, parameters={"minimum": 8}))
    db.commit()
    referral = refer(db, agency)
    results = {r.criterion: r.passed for r in referral.eligibility_results}
    assert results["language_level"] is False


@pytest.mark.parametrize("changes", [
    {"email": "LAN@mail.example"},
    {"email": "other@mail.example", "phone": "(604) 555-0101"},
    {"email": "other@mail.example", "phone": None, "given_name": "nguyễn thị"},
])
def test_the_same_person_referred_twice_is_flagged_not_merged(db, agency, factory,
                                                              changes) -> None:
    first = refer(db, agency)
    second = refer(db, factory.agency("Pacific Bridges"), **changes)
    assert second.duplicate_of_id == first.id
    assert second.newcomer_id != first.newcomer_id


def test_different_people_are_not_flagged(db, agency) -> None:
    refer(db, agency)
    other = refer(db, agency, email="someone@mail.example", phone=None, given_name="Ana",
                  family_name="Souza")
    assert other.duplicate_of_id is None


def test_a_coordinator_accepts_or_refers_back_with_reasons(db, agency, factory) -> None:
    coordinator = factory.staff(roles=("coordinator",))
    cohort = factory.cohort()  # running today: the accepted newcomer joins it
    accepted = refer(db, agency)
    decide_referral(db, Actor("staff", coordinator.id), referral_id=accepted.id, accept=True)
    db.commit()
    assert accepted.status == "accepted" and accepted.decided_by_id == coordinator.id
    assert accepted.cohort_id == cohort.id
    sent_back = refer(db, agency, email="b@mail.example", phone=None)
    decide_referral(db, Actor("staff", coordinator.id), referral_id=sent_back.id, accept=False,
                    reason_codes=["language_level", "missing_information"],
                    note="Please add the CLB report.")
    db.commit()
    assert sent_back.status == "referred_back" and sent_back.cohort_id is None
    assert sent_back.reason_codes == ["language_level", "missing_information"]
    with pytest.raises(ReferralError, match="already_decided"):
        decide_referral(db, Actor("staff", coordinator.id), referral_id=accepted.id,
                        accept=False, reason_codes=["other"])


@pytest.mark.parametrize(("reasons", "code"), [([], "reason_required"),
                                               (["bad_mood"], "unknown_reason")])
def test_refusing_needs_known_reasons(db, agency, reasons, code) -> None:
    referral = refer(db, agency)
    with pytest.raises(ReferralError, match=code):
        decide_referral(db, Actor("staff", None), referral_id=referral.id, accept=False,
                        reason_codes=reasons)


def test_the_agency_corrects_and_resubmits_or_withdraws(db, agency) -> None:
    referral = refer(db, agency)
    decide_referral(db, Actor("staff", None), referral_id=referral.id, accept=False,
                    reason_codes=["missing_information"])
    db.commit()
    update_referral(db, Actor("agency", None), referral_id=referral.id, agency_id=agency.id,
                    profile={**PROFILE, "clb_writing": 8})
    db.commit()
    assert referral.status == "submitted" and referral.newcomer.clb_writing == 8
    withdraw_referral(db, Actor("agency", None), referral_id=referral.id, agency_id=agency.id)
    db.commit()
    assert [c.to_status for c in referral.status_changes][-3:] == [
        "referred_back", "submitted", "withdrawn"]
    with pytest.raises(ReferralError, match="not_withdrawable"):
        withdraw_referral(db, Actor("agency", None), referral_id=referral.id,
                          agency_id=agency.id)


def test_another_agency_cannot_touch_a_referral(db, agency, factory) -> None:
    referral = refer(db, agency)
    other = factory.agency("Pacific Bridges")
    with pytest.raises(ReferralError, match="not_found"):
        withdraw_referral(db, Actor("agency", None), referral_id=referral.id,
                          agency_id=other.id)
    with pytest.raises(ReferralError, match="not_found"):
        update_referral(db, Actor("agency", None), referral_id=referral.id,
                        agency_id=other.id, profile=PROFILE)


def test_an_accepted_referral_can_no_longer_be_edited(db, agency) -> None:
    referral = refer(db, agency)
    decide_referral(db, Actor("staff", None), referral_id=referral.id, accept=True)
    db.commit()
    with pytest.raises(ReferralError, match="not_editable"):
        update_referral(db, Actor("agency", None), referral_id=referral.id,
                        agency_id=agency.id, profile=PROFILE)


@pytest.mark.postgres
def test_two_coordinators_deciding_at_once_one_wins(app: Flask, db, agency, request) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("row locks need PostgreSQL; run with --db=postgresql")
    referral = refer(db, agency)
    # Read in this thread: the object belongs to the test's session, which threads must not use.
    referral_id = referral.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(accept: bool) -> None:
        with app.app_context():
            session = get_state().db.session
            barrier.wait()
            try:
                decide_referral(session, Actor("staff", None), referral_id=referral_id,
                                accept=accept, reason_codes=[] if accept else ["other"])
                session.commit()
                outcomes.append("won")
            except ReferralError as exc:
                session.rollback()
                outcomes.append(exc.code)
            finally:
                session.remove()

    threads = [threading.Thread(target=decide, args=(flag,)) for flag in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_decided", "won"]
    db.expire_all()
    assert len([c for c in referral.status_changes if c.from_status == "submitted"]) == 1
