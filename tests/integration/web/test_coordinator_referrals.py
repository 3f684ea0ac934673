"""The coordinator's referral queue, one referral in full, and the decision on it."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import csrf_token, sign_in_as

from kit import get_state
from kit.models import AuditEvent, OutboxMessage, Referral, ReferralStatusChange
from kit.services.audit import Actor
from kit.services.documents import check_upload, save_resume
from kit.services.referrals import Consent, create_referral, withdraw_referral

QUEUE = "/mentoring/coordinator/referrals"
PROFILE = {
    "given_name": "Nguyễn Thị", "family_name": "Lan", "email": "lan@mail.example",
    "phone": "+1 604-555-0101", "birth_date": date(1990, 5, 17), "preferred_locale": "fr",
    "languages": ["vi", "en"], "immigration_status": "permanent_resident",
    "country_of_education": "VN", "clb_listening": 7, "clb_speaking": 6, "clb_reading": 8,
    "clb_writing": 6, "target_noc_code": "21300", "career_goal": "Design bridges again",
    "residence_area": "Port Alder", "job_search_workshop_completed": True,
    "naics_sector": "54", "years_experience": 9,
}


@pytest.fixture
def coordinator(client, factory, db):
    staff = factory.staff("Amara Okafor", roles=("coordinator",))
    factory.occupation("21300")
    db.commit()
    sign_in_as(client, "staff", staff.id)
    return staff


@pytest.fixture
def harbourview(factory, db):
    agency = factory.agency("Harbourview Newcomer Services")
    user = factory.agency_user(agency, "Ana Souza", preferred_locale="fr")
    db.commit()
    return user


def refer(db, agency_user, **changes) -> Referral:
    referral = create_referral(db, Actor("agency", agency_user.id),
                               agency_id=agency_user.agency_id,
                               profile={**PROFILE, **changes}, consent=Consent("2026-1"),
                               referred_by_id=agency_user.id)
    db.commit()
    return referral


def person(n: int) -> dict[str, object]:
    """A distinct person (not a duplicate of anyone else)."""
    return {"given_name": f"Person{n}", "family_name": f"Family{n}",
            "email": f"person{n}@mail.example", "phone": None, "birth_date": None}


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def decide(client, referral_id: int, **data):
    token = csrf_token(client, f"{QUEUE}/{referral_id}")
    return client.post(f"{QUEUE}/{referral_id}/decision", data={"csrf_token": token, **data})


def test_the_queue_shows_what_awaits_a_decision_with_eligibility_at_a_glance(
        client, coordinator, harbourview, factory, db) -> None:
    eligible = refer(db, harbourview)
    short = refer(db, harbourview, **person(1), clb_speaking=3)
    unknown = refer(db, harbourview, **person(2), clb_writing=None)
    decided = refer(db, harbourview, **person(3))
    decided.status = "accepted"
    db.commit()
    html = page(client, QUEUE)
    assert "Nguyễn Thị Lan" in html and "Person1 Family1" in html and "Person2" in html
    assert "Person3" not in html  # accepted: not in the default (awaiting) view
    rows = html.split("<tbody>")[1].split("</tr>")
    assert "✓" in rows[0] and "Eligible" in rows[0]
    assert "✗" in rows[1] and "Not eligible" in rows[1]
    assert "?" in rows[2] and "information missing" in rows[2]
    assert f"{QUEUE}/{eligible.id}" in html and f"{QUEUE}/{short.id}" in html
    assert f"{QUEUE}/{unknown.id}" in html
    assert "Harbourview Newcomer Services" in html


def test_the_queue_filters_by_status_and_agency_and_sorts(client, coordinator, harbourview,
                                                          factory, db) -> None:
    other = factory.agency_user(factory.agency("Pacific Bridges"), "Li Wei")
    db.commit()
    first = refer(db, harbourview, **person(1))
    first.submitted_at = datetime.now(UTC) - timedelta(days=2)
    refer(db, other, **person(2))
    accepted = refer(db, other, **person(3))
    accepted.status = "accepted"
    db.commit()

    html = page(client, f"{QUEUE}?agency={other.agency_id}")
    assert "Person2" in html and "Person1" not in html and "Person3" not in html
    html = page(client, f"{QUEUE}?status=accepted")
    assert "Person3" in html and "Person2" not in html
    html = page(client, f"{QUEUE}?status=all")
    assert all(f"Person{n}" in html for n in (1, 2, 3))
    oldest = page(client, QUEUE)
    assert oldest.index("Person1") < oldest.index("Person2")
    newest = page(client, f"{QUEUE}?sort=newest")
    assert newest.index("Person2") < newest.index("Person1")
    assert page(client, f"{QUEUE}?status=nonsense&agency=x&sort=up").count("Person") == 2


@pytest.mark.kit_config(KIT_PAGE_SIZE=2)
def test_the_queue_pages_keep_the_filters(client, coordinator, harbourview, factory,
                                          db) -> None:
    other = factory.agency_user(factory.agency("Pacific Bridges"), "Li Wei")
    db.commit()
    for n in range(3):
        refer(db, harbourview, **person(n))
    refer(db, other, **person(9))
    html = page(client, f"{QUEUE}?agency={harbourview.agency_id}")
    assert "Page 1 of 2" in html and html.count("Harbourview Newcomer Services</td>") == 2
    next_link = re.search(r'href="([^"]+)" rel="next"', html)[1].replace("&amp;", "&")
    assert f"agency={harbourview.agency_id}" in next_link and "page=2" in next_link
    second = page(client, next_link)
    assert "Page 2 of 2" in second and "Person2" in second and "Person9" not in second


@pytest.mark.kit_config(KIT_TIMEZONE="America/Vancouver")
def test_a_referral_in_full_with_duplicates_and_history(client, coordinator, harbourview,
                                                        factory, db) -> None:
    other = factory.agency_user(factory.agency("Pacific Bridges"), "Li Wei")
    db.commit()
    earlier = refer(db, other, phone=None, given_name="Lan", family_name="Nguyen")
    referral = refer(db, harbourview)  # same e-mail address, another agency
    referral.status_changes[0].changed_at = datetime(2026, 1, 15, 20, 5, tzinfo=UTC)
    db.commit()
    html = page(client, f"{QUEUE}/{referral.id}")
    assert "Civil engineers" in html and "NOC 21300" in html
    assert "Professional, scientific and technical services" in html and "NAICS 54" in html
    assert "Vietnamese" in html and ("Viet Nam" in html or "Vietnam" in html)
    assert "Design bridges again" in html
    assert re.search(r"Reading</th><td[^>]*>8<", html)
    assert "(lowest level: 6)" in html and "(Permanent resident)" in html
    assert "permanent_resident" not in html
    for criterion in ("Immigration status accepted by the program", "Educated outside Canada",
                      "Job-search workshop completed"):
        assert criterion in html
    # The duplicate: the other agency's referral, flagged and linked, never merged.
    duplicates = html.split("may have been referred before")[1].split("</section>")[0]
    assert "Pacific Bridges" in duplicates and f"{QUEUE}/{earlier.id}" in duplicates
    assert "Lan Nguyen" in duplicates
    assert referral.newcomer_id != earlier.newcomer_id
    # History: who (the caseworker and their agency), what, when in the employer's time zone.
    history = html.split("History")[-1]
    assert "Ana Souza, Harbourview Newcomer Services" in history
    assert "Draft" in history and "Awaiting decision" in history
    assert "12:05:00" in history and "20:05:00" not in history
    assert "Possible duplicate" in page(client, QUEUE)
    views = db.query(AuditEvent).filter_by(action="newcomer.viewed").all()
    assert (str(coordinator.id), str(referral.newcomer_id), "referral") in [
        (v.actor_id, v.subject_id, v.details["what"]) for v in views]


def test_accepting_records_who_and_tells_the_caseworker(client, coordinator, harbourview,
                                                        db) -> None:
    referral = refer(db, harbourview)
    response = decide(client, referral.id, accept="Accept", note="Welcome!")
    assert response.status_code == 302 and response.headers["Location"].endswith(QUEUE)
    db.expire_all()
    assert referral.status == "accepted" and referral.decided_by_id == coordinator.id
    change = referral.status_changes[-1]
    assert (change.to_status, change.staff_id) == ("accepted", coordinator.id)
    message = db.query(OutboxMessage).filter_by(recipient=f"Ana Souza <{harbourview.email}>").one()
    assert message.locale == "fr" and "Welcome!" in message.body_text
    assert "is accepted" in page(client, QUEUE)
    detail = page(client, f"{QUEUE}/{referral.id}")
    assert "Accepted by Amara Okafor" in detail and "Amara Okafor" in detail.split("History")[-1]
    assert 'name="refer_back"' not in detail
    assert referral.cohort_id is None and "In no cohort yet" in detail  # the program has none


def test_referring_back_with_reasons_reaches_the_agency(client, coordinator, harbourview,
                                                        db) -> None:
    referral = refer(db, harbourview)
    response = decide(client, referral.id, refer_back="Refer back",
                      reasons=["language_level", "missing_information"],
                      note="Please add the CLB report.")
    assert response.status_code == 302
    db.expire_all()
    # What the agency's pages read: the status, the reasons and the note.
    assert referral.status == "referred_back"
    assert referral.reason_codes == ["language_level", "missing_information"]
    assert referral.decision_note == "Please add the CLB report."
    message = db.query(OutboxMessage).one()
    assert message.subject.startswith("Recommandation de Nguyễn Thị Lan")
    assert "Please add the CLB report." in message.body_text
    assert "Language level below the program's minimum" not in message.body_text


def test_referring_back_without_a_reason_changes_nothing(client, coordinator, harbourview,
                                                         db) -> None:
    referral = refer(db, harbourview)
    response = decide(client, referral.id, refer_back="Refer back", note="No.")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="kit-error" id="reasons-error"' in html
    assert "Choose at least one reason" in html
    db.expire_all()
    assert referral.status == "submitted" and len(referral.status_changes) == 2
    assert db.query(OutboxMessage).count() == 0


def test_an_unknown_reason_or_no_button_is_refused(client, coordinator, harbourview,
                                                   db) -> None:
    referral = refer(db, harbourview)
    response = decide(client, referral.id, refer_back="Refer back", reasons=["bad_mood"])
    assert response.status_code == 400
    assert "Choose reasons from the list." in response.get_data(as_text=True)
    response = decide(client, referral.id, note="Which one?")
    assert response.status_code == 400
    assert "Choose Accept or Refer back." in response.get_data(as_text=True)
    db.expire_all()
    assert referral.status == "submitted"


def test_a_referral_already_decided_is_a_conflict(client, coordinator, harbourview, factory,
                                                  db) -> None:
    referral = refer(db, harbourview)
    colleague = factory.staff("Jean Tremblay", roles=("coordinator",))
    db.commit()
    token = csrf_token(client, f"{QUEUE}/{referral.id}")  # the page was open before...
    sign_in_as(client, "staff", colleague.id)
    decide(client, referral.id, accept="Accept")  # ...when a colleague accepted
    sign_in_as(client, "staff", coordinator.id)
    response = client.post(f"{QUEUE}/{referral.id}/decision",
                           data={"csrf_token": token, "refer_back": "1", "reasons": "other"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Jean Tremblay already decided on" in html and "Nothing was changed." in html
    db.expire_all()
    assert referral.status == "accepted" and referral.decided_by_id == colleague.id
    assert db.query(OutboxMessage).count() == 1


def test_a_mentor_cannot_see_or_decide(client, harbourview, factory, db) -> None:
    mentor = factory.staff("Sam Lee")
    factory.occupation("21300")
    db.commit()
    referral = refer(db, harbourview)
    sign_in_as(client, "staff", mentor.id)
    assert client.get(QUEUE).status_code == 403
    assert client.get(f"{QUEUE}/{referral.id}").status_code == 403
    assert client.post(f"{QUEUE}/{referral.id}/decision",
                       data={"accept": "Accept"}).status_code == 403
    db.expire_all()
    assert referral.status == "submitted"
    assert db.query(AuditEvent).filter_by(action="newcomer.viewed").count() == 0


def test_a_decision_without_the_csrf_token_is_refused(client, coordinator, harbourview,
                                                      db) -> None:
    referral = refer(db, harbourview)
    response = client.post(f"{QUEUE}/{referral.id}/decision", data={"accept": "Accept"})
    assert response.status_code == 400
    db.expire_all()
    assert referral.status == "submitted"
    assert db.query(ReferralStatusChange).count() == 2


def test_unknown_and_draft_referrals_are_not_found(client, coordinator, harbourview,
                                                   db) -> None:
    draft = create_referral(db, Actor("agency", harbourview.id),
                            agency_id=harbourview.agency_id, profile=PROFILE,
                            consent=Consent("2026-1"), submit=False)
    db.commit()
    assert client.get(f"{QUEUE}/{draft.id}").status_code == 404
    assert client.get(f"{QUEUE}/9999").status_code == 404
    assert decide(client, draft.id, accept="Accept").status_code == 404


def test_the_pages_speak_french(client, coordinator, harbourview, db) -> None:
    coordinator.preferred_locale = "fr"
    db.commit()
    referral = refer(db, harbourview)
    queue = page(client, QUEUE)
    assert "Recommandations" in queue and "Admissible" in queue
    detail = page(client, f"{QUEUE}/{referral.id}")
    assert "Ingénieurs civils/ingénieures civiles" in detail
    assert "Historique" in detail and "Renvoyer" in detail
    response = decide(client, referral.id, refer_back="1", note="?")
    assert "Choisissez au moins un motif" in response.get_data(as_text=True)


def test_the_resume_downloads_for_the_coordinator_only(app, client, coordinator, harbourview,
                                                       factory, db, tmp_path) -> None:
    get_state().config["KIT_UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    referral = refer(db, harbourview)
    content = b"%PDF-1.4\n% a short resume\n"
    with app.test_request_context():
        upload = check_upload(io.BytesIO(content), "CV Lan.pdf")
    save_resume(db, Actor("agency", harbourview.id), referral.newcomer_id, upload)
    db.commit()
    html = page(client, f"{QUEUE}/{referral.id}")
    assert "Download CV Lan.pdf" in html
    response = client.get(f"{QUEUE}/{referral.id}/resume")
    assert response.status_code == 200 and response.data == content
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    response.close()
    whats = [e.details["what"] for e in db.query(AuditEvent).filter_by(action="newcomer.viewed")]
    assert sorted(whats) == ["referral", "resume"]
    mentor = factory.staff("Sam Lee")
    db.commit()
    sign_in_as(client, "staff", mentor.id)
    assert client.get(f"{QUEUE}/{referral.id}/resume").status_code == 403


def test_without_a_resume_there_is_nothing_to_download(client, coordinator, harbourview,
                                                       db) -> None:
    referral = refer(db, harbourview)
    assert "None sent" in page(client, f"{QUEUE}/{referral.id}")
    assert client.get(f"{QUEUE}/{referral.id}/resume").status_code == 404


def test_a_referral_withdrawn_meanwhile_cannot_be_decided(client, coordinator, harbourview,
                                                          db) -> None:
    referral = refer(db, harbourview)
    token = csrf_token(client, f"{QUEUE}/{referral.id}")
    withdraw_referral(db, Actor("agency", harbourview.id), referral_id=referral.id,
                      agency_id=harbourview.agency_id)
    db.commit()
    response = client.post(f"{QUEUE}/{referral.id}/decision",
                           data={"csrf_token": token, "accept": "Accept"})
    assert response.status_code == 409
    assert "The agency withdrew this referral on" in response.get_data(as_text=True)
    db.expire_all()
    assert referral.status == "withdrawn" and db.query(OutboxMessage).count() == 0
