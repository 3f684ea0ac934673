"""Eligibility of a referred newcomer: pure rules, one result per criterion.

Defaults follow the Ottawa employer-hosted program: permanent resident or convention refugee,
internationally educated, CLB 5 or higher, resident of the region, job-search workshop done.
A program admin can switch each criterion off or change its parameters. A criterion whose
information is missing gives ``None`` (unknown), which the coordinator sees as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

CRITERIA = ("immigration_status", "education_abroad", "language_level", "residence",
            "job_search_workshop")

DEFAULT_PARAMETERS: dict[str, dict[str, Any]] = {
    "immigration_status": {"allowed": ["permanent_resident", "convention_refugee",
                                       "protected_person"]},
    "education_abroad": {"home_country": "CA"},
    "language_level": {"minimum": 5},
    # An empty list accepts any area the agency names; a region lists its areas.
    "residence": {"areas": []},
    "job_search_workshop": {},
}


@dataclass(frozen=True)
class RuleSetting:
    """One criterion as the program admin set it."""

    criterion: str
    enabled: bool = True
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CriterionResult:
    """The outcome of one criterion: True, False or None (information missing)."""

    criterion: str
    passed: bool | None
    detail: str = ""


def default_rules() -> list[RuleSetting]:
    """Every criterion enabled with the Ottawa program's parameters."""
    return [RuleSetting(code, True, DEFAULT_PARAMETERS[code]) for code in CRITERIA]


def merge_rules(stored: Iterable[RuleSetting]) -> list[RuleSetting]:
    """The defaults overridden by what the admin stored, in the canonical order."""
    by_code = {rule.criterion: rule for rule in stored if rule.criterion in CRITERIA}
    return [
        RuleSetting(code, by_code[code].enabled,
                    {**DEFAULT_PARAMETERS[code], **by_code[code].parameters})
        if code in by_code else RuleSetting(code, True, DEFAULT_PARAMETERS[code])
        for code in CRITERIA
    ]


def _immigration(profile: Mapping[str, Any], params: Mapping[str, Any]) -> CriterionResult:
    status = profile.get("immigration_status")
    if not status:
        return CriterionResult("immigration_status", None)
    return CriterionResult("immigration_status", status in params["allowed"], status)


def _education(profile: Mapping[str, Any], params: Mapping[str, Any]) -> CriterionResult:
    country = profile.get("country_of_education")
    if not country:
        return CriterionResult("education_abroad", None)
    return CriterionResult("education_abroad", country.upper() != params["home_country"], country)


def _language(profile: Mapping[str, Any], params: Mapping[str, Any]) -> CriterionResult:
    levels = [profile.get(f"clb_{skill}") for skill in ("listening", "speaking", "reading",
                                                         "writing")]
    known = [level for level in levels if level is not None]
    if not known:
        return CriterionResult("language_level", None)
    lowest = min(known)
    if lowest < params["minimum"]:
        return CriterionResult("language_level", False, str(lowest))
    # All four skills must be known to pass; a gap stays unknown rather than passing.
    return CriterionResult("language_level", True if len(known) == 4 else None, str(lowest))


def _residence(profile: Mapping[str, Any], params: Mapping[str, Any]) -> CriterionResult:
    area = (profile.get("residence_area") or "").strip()
    if not area:
        return CriterionResult("residence", None)
    areas = [a.casefold() for a in params.get("areas", [])]
    return CriterionResult("residence", not areas or area.casefold() in areas, area)


def _workshop(profile: Mapping[str, Any], _params: Mapping[str, Any]) -> CriterionResult:
    return CriterionResult("job_search_workshop",
                           bool(profile.get("job_search_workshop_completed")))


_EVALUATORS = {
    "immigration_status": _immigration,
    "education_abroad": _education,
    "language_level": _language,
    "residence": _residence,
    "job_search_workshop": _workshop,
}


def evaluate(profile: Mapping[str, Any], rules: Iterable[RuleSetting]) -> list[CriterionResult]:
    """One result per enabled criterion, in the rules' order."""
    return [_EVALUATORS[rule.criterion](profile, rule.parameters)
            for rule in rules if rule.enabled]


def is_eligible(results: Iterable[CriterionResult]) -> bool | None:
    """False when any criterion fails, None when any is unknown, else True."""
    outcomes = [result.passed for result in results]
    if False in outcomes:
        return False
    return None if None in outcomes else True
