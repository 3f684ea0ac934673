"""Referrals: an agency refers a newcomer, the coordinator accepts or refers back.

Every change is one transaction with its status history row, its audit event and, where
someone must be told, its outbox message. Decisions lock the referral row so that two
coordinators deciding at once cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from kit.eligibility import CriterionResult, RuleSetting, evaluate, merge_rules
from kit.models import (
    EligibilityResult,
    EligibilityRule,
    Newcomer,
    NewcomerLanguage,
    Referral,
    ReferralStatusChange,
)
from kit.models.base import utcnow
from kit.services.audit import Actor, record
from kit.services.cohorts import (
    DEFAULT_COHORT,
    CohortChoice,
    default_cohort,
    program_day,
    require_open,
)

#: Why a coordinator refers a newcomer back to the agency (codes; the UI translates them).
REASON_CODES = ("not_eligible", "missing_information", "occupation_not_offered",
                "no_mentor_available", "language_level", "duplicate", "other")
EDITABLE_STATUSES = ("draft", "referred_back")
PROFILE_COLUMNS = (
    "given_name", "family_name", "preferred_name", "email", "phone", "birth_date",
    "preferred_locale", "language_test", "clb_listening", "clb_speaking", "clb_reading",
    "clb_writing", "immigration_status", "country_of_education", "highest_credential",
    "target_noc_code", "years_experience", "naics_sector", "career_goal", "residence_area",
    "availability_note", "job_search_workshop_completed",
)


class ReferralError(Exception):
    """A change that the referral's state or the caller's rights do not allow.

    ``code`` is stable for the API and translated by the web pages.
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def eligibility_rules(db: Session) -> list[RuleSetting]:
    """The rules in force: the admin's settings over the defaults."""
    stored = db.scalars(select(EligibilityRule)).all()
    return merge_rules(RuleSetting(r.criterion, r.enabled, r.parameters or {}) for r in stored)


def preview_eligibility(db: Session, profile: Mapping[str, Any]) -> list[CriterionResult]:
    """Each criterion's result for a profile not yet saved (what the caseworker sees first)."""
    return evaluate(profile, eligibility_rules(db))


def _apply_profile(db: Session, newcomer: Newcomer, profile: Mapping[str, Any]) -> None:
    for column in PROFILE_COLUMNS:
        setattr(newcomer, column, profile.get(column))
    wanted = set(profile.get("languages", []))
    for language in list(newcomer.languages):
        if language.language not in wanted:
            newcomer.languages.remove(language)
    for code in sorted(wanted - {lang.language for lang in newcomer.languages}):
        newcomer.languages.append(NewcomerLanguage(language=code))
    db.flush()


def _history(db: Session, referral: Referral, to_status: str, actor: Actor,
             note: str | None = None, *, first: bool = False) -> None:
    db.add(ReferralStatusChange(
        referral_id=referral.id, from_status=None if first else referral.status,
        to_status=to_status, changed_at=utcnow(), actor_kind=actor.kind,
        staff_id=actor.id if actor.kind == "staff" else None,
        agency_user_id=actor.id if actor.kind == "agency" else None, note=note))
    referral.status = to_status


def _store_eligibility(db: Session, referral: Referral, profile: Mapping[str, Any]) -> None:
    now = utcnow()
    existing = {r.criterion: r for r in referral.eligibility_results}
    for result in preview_eligibility(db, profile):
        row = existing.pop(result.criterion, None) or EligibilityResult(
            referral_id=referral.id, criterion=result.criterion)
        row.passed, row.detail, row.evaluated_at = result.passed, result.detail, now
        db.add(row)
    for stale in existing.values():
        db.delete(stale)


def find_duplicates(db: Session, newcomer: Newcomer) -> list[Referral]:
    """Other referrals of what looks like the same person: same e-mail, phone, or name and
    birth date, from any agency. They are flagged to the coordinator, never merged."""
    same = [func.lower(Newcomer.email) == newcomer.email.lower()]
    if newcomer.phone:
        digits = "".join(ch for ch in newcomer.phone if ch.isdigit())
        same.append(func.replace(func.replace(func.replace(func.replace(
            Newcomer.phone, " ", ""), "-", ""), "(", ""), ")", "").in_(
            {digits, f"+{digits}", digits[-10:], f"+1{digits[-10:]}"}))
    if newcomer.birth_date and newcomer.family_name:
        same.append(and_(func.lower(Newcomer.given_name) == newcomer.given_name.lower(),
                         func.lower(Newcomer.family_name) == newcomer.family_name.lower(),
                         Newcomer.birth_date == newcomer.birth_date))
    # Their newcomer and agency come along: the coordinator's page lists both for each one.
    return list(db.scalars(
        select(Referral).join(Newcomer, Newcomer.id == Referral.newcomer_id)
        .options(contains_eager(Referral.newcomer), joinedload(Referral.agency))
        .where(or_(*same), Newcomer.id != newcomer.id, Newcomer.erased_at.is_(None))
        .order_by(Referral.id)))


def _submit(db: Session, referral: Referral, actor: Actor, note: str | None = None) -> None:
    profile = {column: getattr(referral.newcomer, column) for column in PROFILE_COLUMNS}
    _store_eligibility(db, referral, profile)
    duplicates = find_duplicates(db, referral.newcomer)
    referral.duplicate_of_id = duplicates[-1].id if duplicates else None
    referral.submitted_at = utcnow()
    referral.decided_at = referral.decided_by_id = None
    _history(db, referral, "submitted", actor, note)


@dataclass(frozen=True)
class Consent:
    """The consent the newcomer gave: the version of the text they agreed to."""

    version: str


def create_referral(db: Session, actor: Actor, *, agency_id: int, profile: Mapping[str, Any],
                    consent: Consent, submit: bool = True,
                    referred_by_id: int | None = None) -> Referral:
    """Record a new newcomer and their referral by an agency; flushes, the caller commits.

    Notifications are queued by the caller (``notify``) in the same transaction.
    """
    newcomer = Newcomer(consent_version=consent.version, consent_given_at=utcnow())
    db.add(newcomer)
    _apply_profile(db, newcomer, profile)
    referral = Referral(newcomer=newcomer, agency_id=agency_id, referred_by_id=referred_by_id,
                        status="draft")
    db.add(referral)
    db.flush()
    _history(db, referral, "draft", actor, first=True)
    if submit:
        _submit(db, referral, actor)
    db.flush()
    record(db, actor, "referral.created", "referral", referral.id,
           {"agency_id": agency_id, "status": referral.status})
    return referral


def _agency_referral(db: Session, referral_id: int, agency_id: int, *,
                     lock: bool = False) -> Referral:
    query = select(Referral).where(Referral.id == referral_id)
    if lock:
        query = query.with_for_update()
    referral = db.scalar(query)
    # Another agency's referral looks exactly like a missing one: nothing to learn from probing.
    if referral is None or referral.agency_id != agency_id:
        raise ReferralError("not_found")
    return referral


def update_referral(db: Session, actor: Actor, *, referral_id: int, agency_id: int,
                    profile: Mapping[str, Any], resubmit: bool = True) -> Referral:
    """Correct a draft or a referred-back referral and (by default) submit it again."""
    referral = _agency_referral(db, referral_id, agency_id, lock=True)
    if referral.status not in EDITABLE_STATUSES:
        raise ReferralError("not_editable")
    _apply_profile(db, referral.newcomer, profile)
    if resubmit:
        _submit(db, referral, actor, note=None)
    record(db, actor, "referral.updated", "referral", referral.id,
           {"status": referral.status})
    db.flush()
    return referral


def withdraw_referral(db: Session, actor: Actor, *, referral_id: int, agency_id: int,
                      note: str | None = None) -> Referral:
    """The agency withdraws a referral that is not yet accepted."""
    referral = _agency_referral(db, referral_id, agency_id, lock=True)
    if referral.status in ("accepted", "withdrawn"):
        raise ReferralError("not_withdrawable")
    _history(db, referral, "withdrawn", actor, note)
    record(db, actor, "referral.withdrawn", "referral", referral.id)
    db.flush()
    return referral


def decide_referral(db: Session, actor: Actor, *, referral_id: int, accept: bool,
                    reason_codes: Iterable[str] = (), note: str | None = None,
                    cohort_id: CohortChoice = DEFAULT_COHORT) -> Referral:
    """Accept a submitted referral, or refer it back with reasons; one coordinator wins.

    An accepted newcomer joins the cohort ``cohort_id`` (an open one), none when it is None,
    or by default the cohort of the decision day (:func:`kit.services.cohorts.default_cohort`).
    Raises ReferralError: 'not_found', 'already_decided' (someone else decided first or the
    agency withdrew), 'reason_required', 'unknown_reason' or 'cohort_unavailable' (no such
    cohort, or closed).
    """
    reasons = sorted(set(reason_codes))
    if not accept and not reasons:
        raise ReferralError("reason_required")
    if set(reasons) - set(REASON_CODES):
        raise ReferralError("unknown_reason")
    referral = db.scalar(select(Referral).where(Referral.id == referral_id).with_for_update())
    if referral is None:
        raise ReferralError("not_found")
    if referral.status != "submitted":
        raise ReferralError("already_decided")
    now = utcnow()
    if accept:
        referral.cohort_id = _decision_cohort(db, cohort_id, now)
    _history(db, referral, "accepted" if accept else "referred_back", actor, note)
    referral.decided_at = now
    referral.decided_by_id = actor.id
    referral.decision_note = note
    referral.reason_codes = None if accept else reasons
    details: dict[str, Any] = {"reasons": reasons}
    if accept:
        details["cohort_id"] = referral.cohort_id
    record(db, actor, "referral.accepted" if accept else "referral.referred_back",
           "referral", referral.id, details)
    db.flush()
    return referral


def _decision_cohort(db: Session, cohort_id: CohortChoice, now: datetime) -> int | None:
    if cohort_id is DEFAULT_COHORT:
        cohort = default_cohort(db, program_day(now))
        return cohort.id if cohort is not None else None
    if cohort_id is None:
        return None
    if require_open(db, cohort_id) is None:
        raise ReferralError("cohort_unavailable")
    return cohort_id
