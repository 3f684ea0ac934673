"""A newcomer's right of access: everything the program holds about them, as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kit.models import (
    AuditEvent,
    CheckIn,
    HoursEntry,
    Match,
    MentoringSession,
    Newcomer,
    NewcomerDocument,
    Outcome,
    Referral,
    SessionAttendee,
)
from kit.models.base import utcnow
from kit.services.privacy import match_ids_of


def _plain(value: object) -> object:
    """A JSON-ready value: dates as ISO 8601, decimals as strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(record: object, columns: Iterable[str]) -> dict[str, object]:
    return {column: _plain(getattr(record, column)) for column in columns}


_PROFILE = ("id", "given_name", "family_name", "preferred_name", "email", "phone", "birth_date",
            "preferred_locale", "immigration_status", "country_of_education",
            "highest_credential", "target_noc_code", "years_experience", "naics_sector",
            "career_goal", "residence_area", "language_test", "clb_listening", "clb_speaking",
            "clb_reading", "clb_writing", "job_search_workshop_completed", "availability_note",
            "consent_version", "consent_given_at", "created_at", "updated_at", "erased_at")
_HISTORY = ("from_status", "to_status", "changed_at", "actor_kind", "note")


def _referrals(db: Session, newcomer_id: int) -> list[dict[str, object]]:
    rows = []
    for referral in db.scalars(select(Referral).where(Referral.newcomer_id == newcomer_id)
                               .order_by(Referral.id)):
        rows.append({
            **_row(referral, ("id", "status", "submitted_at", "decided_at", "decision_note",
                              "reason_codes", "duplicate_of_id", "created_at")),
            "agency": referral.agency.name,
            "history": [_row(change, _HISTORY) for change in referral.status_changes],
            "eligibility": [_row(result, ("criterion", "passed", "detail", "evaluated_at"))
                            for result in referral.eligibility_results],
        })
    return rows


def _matches(db: Session, match_ids: list[int]) -> list[dict[str, object]]:
    return [{
        **_row(match, ("id", "status", "proposed_at", "started_on", "planned_end_on",
                       "target_hours", "goals", "closed_at", "close_reason")),
        "mentor": match.volunteer.display_name,
        "history": [_row(change, _HISTORY) for change in match.status_changes],
    } for match in db.scalars(select(Match).where(Match.id.in_(match_ids)).order_by(Match.id))]


def _sessions(db: Session, newcomer_id: int) -> list[dict[str, object]]:
    rows = db.execute(
        select(SessionAttendee, MentoringSession)
        .join(MentoringSession, MentoringSession.id == SessionAttendee.session_id)
        .where(SessionAttendee.newcomer_id == newcomer_id)
        .order_by(MentoringSession.starts_at, MentoringSession.id)).all()
    return [{**_row(session, ("id", "match_id", "title", "starts_at", "ends_at", "status",
                              "location_building", "location_room")),
             "type": session.session_type.code,
             **_row(attendee, ("response", "attended"))} for attendee, session in rows]


def export_newcomer(db: Session, newcomer_id: int) -> dict[str, object]:
    """Everything the program holds about one newcomer, ready for ``json.dumps``.

    Links appear with their dates only (never a token) and files with their description
    (the files themselves are downloaded apart). Raises LookupError for an unknown newcomer;
    the caller records the view.
    """
    newcomer = db.get(Newcomer, newcomer_id)
    if newcomer is None:
        raise LookupError(newcomer_id)
    match_ids = match_ids_of(db, newcomer_id)
    referral_ids = list(db.scalars(select(Referral.id).where(
        Referral.newcomer_id == newcomer_id)))
    about = or_(
        (AuditEvent.subject_type == "newcomer") & (AuditEvent.subject_id == str(newcomer_id)),
        (AuditEvent.subject_type == "referral")
        & AuditEvent.subject_id.in_([str(i) for i in referral_ids]),
        (AuditEvent.subject_type == "match")
        & AuditEvent.subject_id.in_([str(i) for i in match_ids]))
    entries = select(HoursEntry).where(HoursEntry.match_id.in_(match_ids)).order_by(
        HoursEntry.worked_on, HoursEntry.id)
    return {
        "exported_at": _plain(utcnow()),
        "profile": _row(newcomer, _PROFILE),
        "languages": newcomer.language_codes,
        "availability": [_row(window, ("weekday", "start_minute", "end_minute"))
                         for window in newcomer.availability],
        "referrals": _referrals(db, newcomer_id),
        "matches": _matches(db, match_ids),
        "sessions": _sessions(db, newcomer_id),
        "hours": [_row(entry, ("match_id", "worked_on", "hours", "category", "status",
                               "confirmed_at", "confirmed_by_kind"))
                  for entry in db.scalars(entries)],
        "check_ins": [_row(check_in, ("match_id", "period_start", "satisfaction", "went_well",
                                      "concerns", "has_concern", "sent_at", "answered_at"))
                      for check_in in db.scalars(select(CheckIn).where(
                          CheckIn.match_id.in_(match_ids), CheckIn.respondent == "newcomer")
                          .order_by(CheckIn.period_start))],
        "outcomes": [_row(outcome, ("match_id", "interval", "status", "employed_since",
                                    "noc_code", "recorded_at"))
                     for outcome in db.scalars(select(Outcome).where(
                         Outcome.newcomer_id == newcomer_id).order_by(Outcome.recorded_at))],
        "links": [_row(link, ("purpose", "created_at", "expires_at", "revoked_at",
                              "last_used_at"))
                  for link in sorted(newcomer.links, key=lambda link: link.created_at)],
        "documents": [_row(document, ("kind", "filename", "content_type", "size", "sha256",
                                      "uploaded_at"))
                      for document in db.scalars(select(NewcomerDocument).where(
                          NewcomerDocument.newcomer_id == newcomer_id)
                          .order_by(NewcomerDocument.id))],
        "audit_events": [_row(event, ("occurred_at", "action", "actor_kind", "subject_type",
                                      "subject_id", "details"))
                         for event in db.scalars(select(AuditEvent).where(about)
                                                 .order_by(AuditEvent.occurred_at,
                                                           AuditEvent.id))],
    }
