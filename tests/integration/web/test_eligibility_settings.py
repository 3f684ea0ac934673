"""The program admin sets the eligibility rules; new referrals are evaluated with them."""

from __future__ import annotations

import pytest
from conftest import csrf_token, sign_in_as
from sqlalchemy import func, select

from kit.models import AuditEvent, EligibilityRule
from kit.services.audit import Actor
from kit.services.referrals import Consent, create_referral

PATH = "/mentoring/admin/eligibility"
PROFILE = {
    "given_name": "Amina", "family_name": "Yusuf", "email": "amina@mail.example",
    "immigration_status": "work_permit", "country_of_education": "NG", "clb_listening": 6,
    "clb_speaking": 6, "clb_reading": 7, "clb_writing": 6, "residence_area": "Port Alder",
    "job_search_workshop_completed": False, "languages": [],
}
DEFAULT_FORM = {
    "immigration_status_enabled": "y",
    "allowed_statuses": ["permanent_resident", "convention_refugee", "protected_person"],
    "education_abroad_enabled": "y", "home_country": "CA",
    "language_level_enabled": "y", "minimum_level": "5",
    "residence_enabled": "y", "areas": "",
    "job_search_workshop_enabled": "y",
}


@pytest.fixture
def admin(client, factory, db):
    staff = factory.staff("Amara Okafor", roles=("admin",))
    db.commit()
    sign_in_as(client, "staff", staff.id)
    return staff


def save(client, **changes):
    data = {**DEFAULT_FORM, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(PATH, data={"csrf_token": csrf_token(client, PATH), **data})


def results(db, agency) -> dict[str, bool | None]:
    referral = create_referral(db, Actor("agency", None), agency_id=agency.id,
                               profile=PROFILE, consent=Consent("2026-1"))
    db.commit()
    return {r.criterion: r.passed for r in referral.eligibility_results}


@pytest.mark.parametrize("roles", [(), ("coordinator",)])
def test_only_admins_change_the_rules(client, factory, db, roles) -> None:
    staff = factory.staff(roles=roles)
    db.commit()
    sign_in_as(client, "staff", staff.id)
    assert client.get(PATH).status_code == 403
    assert client.post(PATH, data={"minimum_level": "9"}).status_code == 403
    assert db.scalar(select(func.count()).select_from(EligibilityRule)) == 0


def test_the_page_shows_the_ottawa_defaults(client, admin) -> None:
    html = client.get(PATH).get_data(as_text=True)
    assert html.count("As in the Ottawa program") == 5
    assert 'value="CA"' in html and 'value="5"' in html
    assert '<input checked id="allowed_statuses-1"' in html  # convention refugee
    assert '<input id="allowed_statuses-4"' in html  # work permit: not accepted
    assert "Default: Permanent resident, Convention refugee, Protected person" in html


def test_saving_changes_the_next_referrals_results(client, admin, factory, db) -> None:
    agency = factory.agency("Harbourview")
    db.commit()
    assert results(db, agency) == {
        "immigration_status": False, "education_abroad": True, "language_level": True,
        "residence": True, "job_search_workshop": False}

    response = save(client, allowed_statuses=["permanent_resident", "work_permit"],
                    minimum_level="7", areas="North Shore\n  Harbour   East \n\n",
                    job_search_workshop_enabled=None, home_country=" ng ")
    assert response.status_code == 302
    page = client.get(PATH).get_data(as_text=True)
    assert "Eligibility rules saved" in page
    assert "Changed from the default" in page and "Last saved on" in page
    assert "Amara Okafor" in page and "Harbour East" in page

    assert results(db, agency) == {
        "immigration_status": True, "education_abroad": False, "language_level": False,
        "residence": False}
    rule = db.get(EligibilityRule, "residence")
    assert rule.parameters == {"areas": ["North Shore", "Harbour East"]}
    assert rule.updated_by_id == admin.id
    [event] = db.scalars(select(AuditEvent).where(AuditEvent.action == "eligibility.updated"))
    assert set(event.details) == {"immigration_status", "education_abroad", "language_level",
                                  "residence", "job_search_workshop"}
    assert event.details["language_level"] == {"enabled": True, "parameters": {"minimum": 7}}

    assert save(client, **{**DEFAULT_FORM, "minimum_level": "7",
                           "allowed_statuses": ["permanent_resident", "work_permit"],
                           "areas": "North Shore\nHarbour East", "home_country": "NG",
                           "job_search_workshop_enabled": None}).status_code == 302
    assert "Nothing changed." in client.get(PATH).get_data(as_text=True)
    assert db.scalar(select(func.count()).where(AuditEvent.action == "eligibility.updated")) == 1


def test_bad_values_are_explained_inline_and_nothing_is_saved(client, admin, db) -> None:
    response = save(client, allowed_statuses=None, home_country="Canada", minimum_level="13",
                    areas="x" * 101)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was saved" in html
    assert "Tick at least one status." in html
    assert "Enter a two-letter country code, such as CA." in html
    assert "Enter a level from 1 to 12." in html
    assert "An area name has at most 100 characters" in html
    assert 'value="CANADA"' in html  # what the admin typed stays, to be corrected
    assert save(client, minimum_level="five").status_code == 400
    assert db.scalar(select(func.count()).select_from(EligibilityRule)) == 0


def test_saving_needs_the_csrf_token(client, admin, db) -> None:
    assert client.post(PATH, data=DEFAULT_FORM).status_code == 400
    assert db.scalar(select(func.count()).select_from(EligibilityRule)) == 0
