"""Eligibility rules: each criterion passes, fails or is unknown, and admins can change them."""

from __future__ import annotations

from kit.eligibility import RuleSetting, default_rules, evaluate, is_eligible, merge_rules

ELIGIBLE = {
    "immigration_status": "permanent_resident", "country_of_education": "NG",
    "clb_listening": 7, "clb_speaking": 6, "clb_reading": 8, "clb_writing": 5,
    "residence_area": "Port Alder", "job_search_workshop_completed": True,
}


def results(profile: dict, rules=None) -> dict:
    return {r.criterion: r.passed for r in evaluate(profile, rules or default_rules())}


def test_a_profile_meeting_every_default_rule_is_eligible() -> None:
    outcome = evaluate(ELIGIBLE, default_rules())
    assert all(r.passed for r in outcome) and is_eligible(outcome) is True


def test_each_failing_criterion_is_reported_on_its_own() -> None:
    profile = {**ELIGIBLE, "immigration_status": "work_permit", "country_of_education": "ca",
               "clb_writing": 4, "job_search_workshop_completed": False}
    assert results(profile) == {"immigration_status": False, "education_abroad": False,
                                "language_level": False, "residence": True,
                                "job_search_workshop": False}
    assert is_eligible(evaluate(profile, default_rules())) is False


def test_missing_information_is_unknown_not_a_failure() -> None:
    profile = {**ELIGIBLE, "clb_writing": None, "residence_area": " "}
    assert results(profile)["language_level"] is None
    assert results(profile)["residence"] is None
    assert is_eligible(evaluate(profile, default_rules())) is None


def test_the_lowest_skill_decides_the_language_level() -> None:
    [language] = [r for r in evaluate({**ELIGIBLE, "clb_writing": 4}, default_rules())
                  if r.criterion == "language_level"]
    assert (language.passed, language.detail) == (False, "4")


def test_admins_change_parameters_and_switch_criteria_off() -> None:
    rules = merge_rules([
        RuleSetting("language_level", True, {"minimum": 7}),
        RuleSetting("residence", True, {"areas": ["Port Alder", "North Shore"]}),
        RuleSetting("job_search_workshop", False, {}),
    ])
    outcome = results({**ELIGIBLE, "residence_area": "north shore"}, rules)
    assert outcome["language_level"] is False
    assert outcome["residence"] is True
    assert "job_search_workshop" not in outcome
    assert results({**ELIGIBLE, "residence_area": "Elsewhere"}, rules)["residence"] is False
