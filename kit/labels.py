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
