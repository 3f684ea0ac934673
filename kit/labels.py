"""Translated names of the values stored as codes (statuses, session types, roles)."""

from __future__ import annotations

from kit.i18n import lazy_gettext as _l

LABELS = {
    "referral_status": {
        "draft": _l("Draft"),
        "submitted": _l("Awaiting decision"),
        "accepted": _l("Accepted"),
        "referred_back": _l("Referred back"),
        "withdrawn": _l("Withdrawn"),
    },
    "match_status": {
        "proposed": _l("Proposed"),
        "mentor_accepted": _l("Accepted by mentor"),
        "active": _l("Active"),
        "closed": _l("Closed"),
        "declined": _l("Declined"),
    },
    "volunteer_status": {
        "pending": _l("Awaiting approval"),
        "approved": _l("Approved"),
        "paused": _l("Paused"),
        "withdrawn": _l("Withdrawn"),
    },
    "session_type": {
        "one_on_one": _l("One-on-one meeting"),
        "job_shadowing": _l("Job shadowing"),
        "team_meeting": _l("Team or department meeting"),
        "workplace_tour": _l("Workplace tour"),
        "professional_development": _l("Professional-development event"),
        "connector_meeting": _l("Connector meeting"),
        "group_event": _l("Group mentoring event"),
    },
    "session_status": {
        "scheduled": _l("Scheduled"),
        "confirmed": _l("Confirmed"),
        "cancelled": _l("Cancelled"),
        "attended": _l("Attended"),
        "no_show": _l("No-show"),
    },
    "reason": {
        "not_eligible": _l("Does not meet the eligibility criteria"),
        "missing_information": _l("Information is missing"),
        "occupation_not_offered": _l("The employer has no mentor in this occupation"),
        "no_mentor_available": _l("No mentor is available in this cohort"),
        "language_level": _l("Language level below the program's minimum"),
        "duplicate": _l("Already referred"),
        "other": _l("Other reason (see the note)"),
    },
    "criterion": {
        "immigration_status": _l("Immigration status accepted by the program"),
        "education_abroad": _l("Educated outside Canada"),
        "language_level": _l("Language level (CLB/NCLC) at the minimum"),
        "residence": _l("Lives in the region"),
        "job_search_workshop": _l("Job-search workshop completed"),
    },
    "role": {
        "staff": _l("Staff"),
        "coordinator": _l("Coordinator"),
        "admin": _l("Program admin"),
        "agency": _l("Agency"),
        "newcomer": _l("Newcomer"),
    },
}


def label(kind: str, code: str | None) -> str:
    """The reader's-language name of ``code``; an unknown code is shown as it is."""
    if code is None:
        return ""
    return str(LABELS.get(kind, {}).get(code, code))
