"""Privacy: purge closed referrals after a while, export and erase one newcomer on request.

Erasure keeps the newcomer's row (matches, hours and outcomes point to it, and reports keep
counting them) but removes everything that says who the person is: names, contact details,
birth date, free texts, languages, availability, links, files and the e-mail addressed to them.
Staff texts on their matches keep their meaning with the person's names blanked out.
Their future sessions are cancelled (the mentor gets the calendar cancellation) and their seats
at group events go to the people waiting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from kit.i18n import gettext
from kit.models import (
    AvailabilityWindow,
    CheckIn,
    EligibilityResult,
    HoursEntry,
    HoursRevision,
    Match,
    MatchStatusChange,
    MentoringSession,
    Newcomer,
    NewcomerDocument,
    NewcomerLanguage,
    NewcomerLink,
    OutboxMessage,
    Outcome,
    Referral,
    ReferralStatusChange,
    SessionAttendee,
)
from kit.models.base import utcnow
from kit.models.matches import MATCH_OPEN_STATUSES
from kit.services.audit import SYSTEM, Actor, record
from kit.services.documents import delete_documents
from kit.services.group_events import release_seat
from kit.services.invitations import send_invitations
from kit.services.scheduling import OPEN_STATUSES as OPEN_SESSION_STATUSES

#: Referral statuses that the purge removes once they are old enough.
PURGED_STATUSES = ("referred_back", "withdrawn")
#: What replaces an erased name (the row stays for the reports; the person is gone).
ERASED_NAME = "—"
#: What replaces an erased person's name inside someone else's text.
ERASED_TEXT = "[…]"
_BATCH = 100


@dataclass(frozen=True)
class PurgeReport:
    """What one purge run removed: referrals, newcomers erased or deleted, files."""

    referrals: int = 0
    newcomers: int = 0
    files: int = 0

    def __add__(self, other: PurgeReport) -> PurgeReport:
        return PurgeReport(self.referrals + other.referrals, self.newcomers + other.newcomers,
                           self.files + other.files)


def _needles(newcomer: Newcomer) -> list[str]:
    """The strings that identify the person in other people's texts, longest first."""
    names = {newcomer.full_name, newcomer.preferred_name, newcomer.given_name,
             newcomer.family_name, newcomer.email, newcomer.phone}
    return sorted((n.strip() for n in names if n and len(n.strip()) >= 2), key=len, reverse=True)


def _pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    words = [re.escape(needle) for needle in needles]
    # Whole words only: erasing "Lan" must not turn "plan" into "p[…]".
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE) if words \
        else None


def _scrub(text: str | None, pattern: re.Pattern[str] | None) -> str | None:
    return pattern.sub(ERASED_TEXT, text) if text and pattern else text


def _scrub_outbox(db: Session, newcomer: Newcomer, pattern: re.Pattern[str] | None) -> int:
    """Delete the e-mail addressed to the person; blank them out of e-mail to others."""
    needles = _needles(newcomer)
    if not needles:
        return 0
    columns = (OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body_text,
               OutboxMessage.body_html, OutboxMessage.ical)
    # SQLite's lower() knows only ASCII: look for the exact spelling too ("Élodie").
    candidates = list(db.scalars(select(OutboxMessage).where(or_(*(
        condition for column in columns for needle in needles
        for condition in (column.contains(needle, autoescape=True),
                          func.lower(column).contains(needle.lower(), autoescape=True)))))))
    email = newcomer.email.lower()
    deleted = 0
    for message in candidates:
        if email and email in message.recipient.lower():
            db.delete(message)
            deleted += 1
            continue
        for column in ("subject", "body_text", "body_html", "ical"):
            setattr(message, column, _scrub(getattr(message, column), pattern))
    return deleted


def match_ids_of(db: Session, newcomer_id: int) -> list[int]:
    """Ids of every match of a newcomer, whatever its status."""
    return list(db.scalars(select(Match.id).where(Match.newcomer_id == newcomer_id)))


def _scrub_match_texts(db: Session, match_ids: list[int],
                       pattern: re.Pattern[str] | None) -> None:
    if not match_ids:
        return
    for match in db.scalars(select(Match).where(Match.id.in_(match_ids))):
        match.goals = None
        match.decline_reason = _scrub(match.decline_reason, pattern)
    for change in db.scalars(select(MatchStatusChange)
                             .where(MatchStatusChange.match_id.in_(match_ids))):
        change.note = _scrub(change.note, pattern)
    for session in db.scalars(select(MentoringSession)
                              .where(MentoringSession.match_id.in_(match_ids))):
        for column in ("title", "visitor_instructions", "confidentiality_note", "cancel_reason"):
            setattr(session, column, _scrub(getattr(session, column), pattern))
    entries = select(HoursEntry.id).where(HoursEntry.match_id.in_(match_ids))
    for entry in db.scalars(select(HoursEntry).where(HoursEntry.id.in_(entries))):
        entry.note = _scrub(entry.note, pattern)
    for revision in db.scalars(select(HoursRevision).where(HoursRevision.entry_id.in_(entries))):
        revision.note = _scrub(revision.note, pattern)
    # Both sides' answers are about the person; the scores stay for the program's statistics.
    for check_in in db.scalars(select(CheckIn).where(CheckIn.match_id.in_(match_ids))):
        check_in.went_well = check_in.concerns = None


def _close_open_work(db: Session, actor: Actor, newcomer_id: int, now: datetime) -> tuple[int, int]:
    """Withdraw referrals still waiting and end open matches: nobody is left to mentor."""
    referrals = list(db.scalars(select(Referral).where(
        Referral.newcomer_id == newcomer_id, Referral.status.in_(("draft", "submitted")))))
    for referral in referrals:
        db.add(ReferralStatusChange(
            referral_id=referral.id, from_status=referral.status, to_status="withdrawn",
            changed_at=now, actor_kind=actor.kind,
            staff_id=actor.id if actor.kind == "staff" else None))
        referral.status = "withdrawn"
    matches = list(db.scalars(select(Match).where(
        Match.newcomer_id == newcomer_id, Match.status.in_(MATCH_OPEN_STATUSES))))
    for match in matches:
        to_status = "closed" if match.status == "active" else "declined"
        db.add(MatchStatusChange(
            match_id=match.id, from_status=match.status, to_status=to_status, changed_at=now,
            actor_kind=actor.kind, staff_id=actor.id if actor.kind == "staff" else None))
        match.status = to_status
        if to_status == "closed":
            match.closed_at, match.close_reason = now, "ended_by_newcomer"
    return len(referrals), len(matches)


def _erase_personal_data(db: Session, newcomer: Newcomer, now: datetime) -> int:
    """Remove what identifies the person, keep the row; returns how many files go."""
    pattern = _pattern(_needles(newcomer))
    _scrub_outbox(db, newcomer, pattern)
    _scrub_match_texts(db, match_ids_of(db, newcomer.id), pattern)
    referral_ids = select(Referral.id).where(Referral.newcomer_id == newcomer.id)
    for referral in db.scalars(select(Referral).where(Referral.id.in_(referral_ids))):
        referral.decision_note = None
    for change in db.scalars(select(ReferralStatusChange)
                             .where(ReferralStatusChange.referral_id.in_(referral_ids))):
        change.note = None
    # The detail repeats the profile (status, country, area, level); pass or fail stays.
    for result in db.scalars(select(EligibilityResult)
                             .where(EligibilityResult.referral_id.in_(referral_ids))):
        result.detail = None
    files = delete_documents(db, newcomer.id)
    for model in (NewcomerLanguage, NewcomerLink, AvailabilityWindow):
        db.execute(delete(model).where(model.newcomer_id == newcomer.id))
    newcomer.given_name, newcomer.family_name, newcomer.preferred_name = ERASED_NAME, None, None
    newcomer.email, newcomer.phone, newcomer.birth_date = "", None, None
    newcomer.career_goal, newcomer.highest_credential = "", None
    newcomer.availability_note, newcomer.residence_area = None, None
    newcomer.erased_at = newcomer.erased_at or now
    db.expire(newcomer, ["languages", "links", "availability"])
    db.flush()
    return files


def _cancel_future_sessions(db: Session, actor: Actor, newcomer_id: int,
                            now: datetime) -> int:
    """Cancel the person's coming one-on-one sessions, free their group seats; returns how many.

    Runs before the erasure, so the cancellations are queued and then scrubbed like any
    other e-mail: the mentor's copy stays without the name, the person's own copy goes.
    """
    sessions = list(db.scalars(
        select(MentoringSession).join(SessionAttendee)
        .where(SessionAttendee.newcomer_id == newcomer_id,
               MentoringSession.status.in_(OPEN_SESSION_STATUSES),
               MentoringSession.starts_at > now)
        .order_by(MentoringSession.id).with_for_update(of=MentoringSession)))
    for session in sessions:
        if session.match_id is None:
            release_seat(db, actor, session, newcomer_id)
            continue
        with force_locale(session.organizer.preferred_locale):
            reason = gettext("The newcomer left the program.")
        session.status, session.cancel_reason = "cancelled", reason
        session.sequence += 1
        record(db, actor, "session.cancelled", "session", session.id, {"reason": reason})
        send_invitations(db, session, "CANCEL", reason=reason)
    return len(sessions)


def erase_newcomer(db: Session, actor: Actor, newcomer_id: int) -> None:
    """Erase one newcomer's personal data on their request; flushes, the caller commits.

    Waiting referrals are withdrawn, open matches ended and coming sessions cancelled (seats
    at group events go to those waiting); hours, outcomes, attendance and
    check-in scores stay, without anything that says who the person was. The files leave
    the disk when the transaction commits. Erasing twice is harmless.
    """
    newcomer = db.scalar(select(Newcomer).where(Newcomer.id == newcomer_id).with_for_update())
    if newcomer is None:
        raise LookupError(newcomer_id)
    if newcomer.erased_at is not None:
        return
    now = utcnow()
    sessions = _cancel_future_sessions(db, actor, newcomer_id, now)
    referrals, matches = _close_open_work(db, actor, newcomer_id, now)
    files = _erase_personal_data(db, newcomer, now)
    record(db, actor, "newcomer.erased", "newcomer", newcomer_id,
           {"referrals_withdrawn": referrals, "matches_ended": matches,
            "sessions_cancelled": sessions, "files": files})
    db.flush()


def _last_change() -> Subquery:
    return (select(ReferralStatusChange.referral_id,
                   func.max(ReferralStatusChange.changed_at).label("changed_at"))
            .group_by(ReferralStatusChange.referral_id).subquery())


def _purge_batch(db: Session, cutoff: datetime, now: datetime) -> PurgeReport:
    last = _last_change()
    changed_at = func.coalesce(last.c.changed_at, Referral.decided_at, Referral.updated_at)
    # SKIP LOCKED: a purge running on another host takes other rows instead of waiting.
    referrals = list(db.execute(
        select(Referral.id, Referral.newcomer_id)
        .outerjoin(last, last.c.referral_id == Referral.id)
        .where(Referral.status.in_(PURGED_STATUSES), changed_at < cutoff)
        .order_by(Referral.id).limit(_BATCH)
        .with_for_update(of=Referral, skip_locked=True)).all())
    if not referrals:
        return PurgeReport()
    ids = [referral_id for referral_id, _newcomer in referrals]
    db.execute(delete(EligibilityResult).where(EligibilityResult.referral_id.in_(ids)))
    db.execute(delete(ReferralStatusChange).where(ReferralStatusChange.referral_id.in_(ids)))
    db.execute(delete(Referral).where(Referral.id.in_(ids)).execution_options(
        synchronize_session=False))
    newcomers = files = 0
    for newcomer_id in sorted({newcomer_id for _referral, newcomer_id in referrals}):
        # Locking the person serialises two hosts purging two of their referrals at once.
        newcomer = db.scalar(select(Newcomer).where(Newcomer.id == newcomer_id)
                             .with_for_update())
        if newcomer is None or db.scalar(select(or_(
                exists().where(Referral.newcomer_id == newcomer_id),
                exists().where(Match.newcomer_id == newcomer_id)))):
            continue
        files += _erase_personal_data(db, newcomer, now)
        newcomers += 1
        referenced = db.scalar(select(or_(
            exists().where(Outcome.newcomer_id == newcomer_id),
            exists().where(SessionAttendee.newcomer_id == newcomer_id))))
        if not referenced:
            # The database cascades to what is left (consent, languages); nothing else points here.
            db.execute(delete(Newcomer).where(Newcomer.id == newcomer_id))
    db.flush()
    return PurgeReport(len(ids), newcomers, files)


def purge_closed_referrals(db: Session, older_than_days: int,
                           now: datetime | None = None) -> PurgeReport:
    """Delete referrals referred back or withdrawn more than ``older_than_days`` ago.

    Their history and eligibility results go with them; a newcomer left with no referral and
    no match is erased (deleted when nothing else points to them) with their files. Commits
    in batches, so a long run holds no lock for long; running it again, or on two hosts at
    once, is harmless. One audit event per run, with counts only.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=older_than_days)
    total = PurgeReport()
    while True:
        report = _purge_batch(db, cutoff, now)
        db.commit()
        total += report
        if report.referrals < _BATCH:
            break
    record(db, SYSTEM, "privacy.purged", "privacy", "purge",
           {"older_than_days": older_than_days, "referrals": total.referrals,
            "newcomers": total.newcomers, "files": total.files})
    db.commit()
    return total


@dataclass(frozen=True)
class PrivacySummary:
    """What the program holds about one newcomer, counted for the confirmation page."""

    newcomer: Newcomer
    referrals: int
    open_referrals: int
    matches: int
    open_matches: int
    documents: int
    links: int
    check_ins: int
    outcomes: int
    hours_entries: int


def privacy_summary(db: Session, newcomer_id: int) -> PrivacySummary | None:
    """Counts of a newcomer's records, or None when there is no such newcomer."""
    newcomer = db.get(Newcomer, newcomer_id)
    if newcomer is None:
        return None

    def count(model: type, *conditions: object) -> int:
        return db.scalar(select(func.count()).select_from(model).where(*conditions)) or 0

    matches = select(Match.id).where(Match.newcomer_id == newcomer_id)
    return PrivacySummary(
        newcomer=newcomer,
        referrals=count(Referral, Referral.newcomer_id == newcomer_id),
        open_referrals=count(Referral, Referral.newcomer_id == newcomer_id,
                             Referral.status.in_(("draft", "submitted"))),
        matches=count(Match, Match.newcomer_id == newcomer_id),
        open_matches=count(Match, Match.newcomer_id == newcomer_id,
                           Match.status.in_(MATCH_OPEN_STATUSES)),
        documents=count(NewcomerDocument, NewcomerDocument.newcomer_id == newcomer_id),
        links=count(NewcomerLink, NewcomerLink.newcomer_id == newcomer_id),
        check_ins=count(CheckIn, CheckIn.match_id.in_(matches)),
        outcomes=count(Outcome, Outcome.newcomer_id == newcomer_id),
        hours_entries=count(HoursEntry, HoursEntry.match_id.in_(matches)),
    )
