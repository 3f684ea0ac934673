"""Every rule of the referral schema, as the API reports it: 422 with per-field messages."""

from __future__ import annotations

from typing import Any

import pytest

from api.support import REFERRAL, ApiClient, error_of
from kit.models import Referral

MISSING = object()


def refused_fields(api: ApiClient, **changes: Any) -> dict[str, list[str]]:
    body = {**REFERRAL, **changes}
    body = {name: value for name, value in body.items() if value is not MISSING}
    response = api.post("/referrals", body)
    assert response.status_code == 422, response.get_json()
    error = error_of(response)
    assert error["code"] == "invalid_referral"
    return error["fields"]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"given_name": MISSING}, "given_name", "Enter the newcomer's given name."),
    ({"given_name": "   "}, "given_name", "Enter the newcomer's given name."),
    ({"email": MISSING}, "email", "Enter the newcomer's e-mail address."),
    ({"email": "lan-at-mail.example"}, "email", "Enter a valid e-mail address."),
    ({"immigration_status": MISSING}, "immigration_status",
     "Choose the newcomer's immigration status."),
    ({"immigration_status": "tourist"}, "immigration_status", "Not a valid choice."),
    ({"target_noc": MISSING}, "target_noc", "Choose the occupation the newcomer aims for."),
    ({"career_goal": MISSING}, "career_goal",
     "Describe the newcomer's career goal in a sentence or two."),
    ({"consent": MISSING}, "consent", "The newcomer's consent is needed to refer them."),
    ({"consent": False}, "consent", "The newcomer's consent is needed to refer them."),
    ({"clb_reading": 13}, "clb_reading", "Levels go from 1 to 12."),
    ({"clb_listening": 0}, "clb_listening", "Levels go from 1 to 12."),
    ({"years_experience": 61}, "years_experience", "Enter a number of years from 0 to 60."),
    ({"target_noc": "99999"}, "target_noc",
     "Choose an occupation (a NOC 2021 unit group of five digits)."),
    ({"target_noc": "2130"}, "target_noc",
     "Choose an occupation (a NOC 2021 unit group of five digits)."),
    ({"target_noc": "0112"}, "target_noc", "This NOC 2016 code became several NOC 2021 "
                                           "occupations; choose the 2021 one."),
    ({"languages": ["vi", "xx"]}, "languages",
     "Use two-letter language codes such as en, fr, ar, pa, zh."),
    ({"languages": "vi, klingon"}, "languages",
     "Use two-letter language codes such as en, fr, ar, pa, zh."),
    ({"country_of_education": "XY"}, "country_of_education",
     "Use a two-letter country code such as IN, NG, PH or UA."),
    ({"naics_sector": "99"}, "naics_sector", "Choose an industry sector (NAICS), such as 54."),
    ({"phone": "call me"}, "phone",
     "Enter a phone number with digits, spaces, +, - or brackets."),
    ({"preferred_locale": "de"}, "preferred_locale", "Not a valid choice."),
    ({"given_name": 42}, "given_name", "Expected text."),
    ({"clb_reading": "7"}, "clb_reading", "Expected a whole number."),
    ({"clb_reading": 7.5}, "clb_reading", "Expected a whole number."),
    ({"clb_reading": True}, "clb_reading", "Expected a whole number."),
    ({"consent": "yes"}, "consent", "Expected true or false."),
    ({"languages": ["vi", 3]}, "languages", "Expected a list of two-letter language codes."),
    ({"email": ["lan@mail.example"]}, "email", "Expected text."),
    ({"submit": "no"}, "submit", "Expected true or false."),
])
def test_each_rule_gives_its_field_message(api, db, changes, field, message) -> None:
    fields = refused_fields(api, **changes)
    assert message in fields[field]
    assert db.query(Referral).count() == 0


def test_too_long_text_is_refused(api) -> None:
    fields = refused_fields(api, given_name="x" * 201, career_goal="y" * 2001)
    assert set(fields) == {"given_name", "career_goal"}


def test_all_errors_come_at_once(api) -> None:
    fields = refused_fields(api, given_name=MISSING, email="nope", clb_writing=20,
                            consent=MISSING)
    assert set(fields) == {"given_name", "email", "clb_writing", "consent"}


def test_unknown_fields_are_named(api, db) -> None:
    response = api.post("/referrals", {**REFERRAL, "sin": "123 456 789", "notes": "x"})
    error = error_of(response)
    assert response.status_code == 400 and error["code"] == "unknown_field"
    assert set(error["fields"]) == {"notes", "sin"}
    assert "notes, sin" in error["message"]
    assert db.query(Referral).count() == 0


def test_a_noc_2016_code_is_converted(api) -> None:
    body = api.refer(target_noc="2131")
    assert body["newcomer"]["target_noc"] == "21300"


def test_optional_fields_may_be_null_or_absent(api) -> None:
    body = api.refer(family_name=None, phone=None, birth_date=None, languages=None,
                     language_test=None, clb_reading=None, preferred_locale=None,
                     naics_sector=None, country_of_education=None)
    newcomer = body["newcomer"]
    assert newcomer["family_name"] is None and newcomer["languages"] == []
    assert newcomer["preferred_locale"] == "en"
    assert {e["criterion"]: e["passed"] for e in body["eligibility"]}[
        "education_abroad"] is None


def test_languages_may_be_a_comma_separated_string(api) -> None:
    assert api.refer(languages="vi, EN")["newcomer"]["languages"] == ["en", "vi"]


def test_messages_are_in_french_when_asked(api) -> None:
    response = api.post("/referrals", {**REFERRAL, "email": "nope", "clb_reading": 13},
                        headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    error = error_of(response)
    assert error["message"] == "La recommandation comporte des erreurs : voyez les champs."
    assert error["fields"]["clb_reading"] == ["Les niveaux vont de 1 à 12."]
    assert "courriel" in error["fields"]["email"][0]
