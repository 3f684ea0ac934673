"""Referrals as the API shows them to the agency that made them.

Only what this agency gave or may know: a duplicate found in another agency's referrals is not
disclosed (``duplicate_of`` is then null), because an agency must learn nothing about another
agency's referrals.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kit.eligibility import CriterionResult
from kit.models import Newcomer, Referral
from kit.services.api_guard import ReferralSummary

PROFILE_FIELDS = (
    "given_name", "family_name", "preferred_name", "email", "phone", "birth_date",
    "preferred_locale", "languages", "language_test", "clb_listening", "clb_speaking",
    "clb_reading", "clb_writing", "immigration_status", "country_of_education",
    "highest_credential", "target_noc", "years_experience", "naics_sector", "career_goal",
    "residence_area", "availability_note", "job_search_workshop_completed",
)


def _time(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def newcomer_json(newcomer: Newcomer) -> dict[str, Any]:
    """The profile, with the same field names a referral is sent with."""
    values: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        if name == "languages":
            values[name] = newcomer.language_codes
        elif name == "target_noc":
            values[name] = newcomer.target_noc_code
        elif name == "birth_date":
            values[name] = _time(newcomer.birth_date)
        else:
            values[name] = getattr(newcomer, name)
    values["consent_version"] = newcomer.consent_version
    values["consent_given_at"] = _time(newcomer.consent_given_at)
    values["erased"] = newcomer.is_erased
    return values


def criterion_json(result: CriterionResult | Any) -> dict[str, Any]:
    """One eligibility criterion's result (``passed`` null: information missing)."""
    return {"criterion": result.criterion, "passed": result.passed,
            "detail": result.detail or None}


def referral_json(referral: Referral) -> dict[str, Any]:
    """Everything the referring agency may see of its referral."""
    duplicate = referral.duplicate_of
    return {
        "id": referral.id,
        "status": referral.status,
        "submitted_at": _time(referral.submitted_at),
        "decided_at": _time(referral.decided_at),
        "reason_codes": list(referral.reason_codes or []),
        "decision_note": referral.decision_note,
        "duplicate_of": duplicate.id if duplicate is not None
        and duplicate.agency_id == referral.agency_id else None,
        "eligibility": [criterion_json(r) for r in referral.eligibility_results],
        "history": [
            {"from": change.from_status, "to": change.to_status, "at": _time(change.changed_at),
             "actor_kind": change.actor_kind, "note": change.note}
            for change in referral.status_changes
        ],
        "newcomer": newcomer_json(referral.newcomer),
    }


def referral_summary_json(referral: ReferralSummary) -> dict[str, Any]:
    """A referral in a list: enough to find it again, the rest is one GET away."""
    return {
        "id": referral.id,
        "status": referral.status,
        "submitted_at": _time(referral.submitted_at),
        "decided_at": _time(referral.decided_at),
        "newcomer_name": referral.newcomer_name,
        "target_noc": referral.target_noc,
    }
