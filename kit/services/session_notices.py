"""E-mails about sessions besides invitations: answers, reminders, nudges, idle matches.

The jobs (``flask kit sessions remind|nudge|pace``) are safe to run twice or on several hosts at
once: every message carries an outbox ``dedupe_key`` that the database keeps unique, so each
reminder, nudge or warning is queued exactly once whoever runs first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from kit.i18n import gettext as _
from kit.models import (
    Match,
    MentoringSession,
    Newcomer,
    OutboxMessage,
    SessionAttendee,
    StaffMember,
    StaffRole,
)
from kit.models.base import utcnow
from kit.models.sessions import NOT_ATTENDING_RESPONSES
from kit.services.invitations import (
    attendee_locale,
    attendee_url,
    session_summary,
    when_text,
)
from kit.services.mail_compose import mail_context, mail_link, render_mail
from kit.services.outbox import enqueue
from kit.services.pace import MatchPace, match_paces
from kit.state import get_state

_UPCOMING = ("scheduled", "confirmed")


def _person(attendee: SessionAttendee) -> tuple[str, str] | None:
    if attendee.staff is not None and attendee.staff.is_active:
        return attendee.staff.email, attendee.staff.display_name
    if attendee.newcomer is not None and attendee.newcomer.erased_at is None:
        return attendee.newcomer.email, attendee.newcomer.display_name
    return None


def notify_response(db: Session, session: MentoringSession, attendee: SessionAttendee) -> bool:
    """Tell the organizer that the newcomer confirmed or asked for another time."""
    organizer = db.get(StaffMember, session.organizer_id)
    if organizer is None:
        return False
    locale = organizer.preferred_locale
    name = attendee.newcomer.display_name if attendee.newcomer else ""
    with mail_context(), force_locale(locale):
        if attendee.response == "confirmed":
            subject = _("%(name)s confirmed: %(when)s", name=name, when=when_text(session))
        else:
            subject = _("%(name)s asks for another time: %(when)s", name=name,
                        when=when_text(session))
        body = render_mail(locale, "kit/email/session_response.txt", session=session,
                       attendee=attendee, name=name, summary=session_summary(session),
                       when=when_text(session),
                       url=mail_link("kit_staff.session", session_id=session.id))
    # One notice per answer: a second answer (even within the same second) is news again.
    stamp = int((attendee.responded_at or utcnow()).timestamp() * 1_000_000)
    return enqueue(db, recipient=organizer.email, recipient_name=organizer.display_name,
                   subject=subject, body_text=body, locale=locale,
                   dedupe_key=f"session-response:{session.id}:{attendee.id}:"
                              f"{attendee.response}:{stamp}") is not None


def _with_people(query: Select) -> Select:
    return query.options(
        selectinload(MentoringSession.session_type),
        selectinload(MentoringSession.attendees).selectinload(SessionAttendee.staff),
        selectinload(MentoringSession.attendees).selectinload(SessionAttendee.newcomer))


def send_reminders(db: Session, now: datetime | None = None) -> int:
    """Remind every attendee of sessions starting within ``KIT_REMINDER_HOURS``; once each."""
    now = now or utcnow()
    horizon = now + timedelta(hours=get_state().config["KIT_REMINDER_HOURS"])
    sessions = db.scalars(_with_people(
        select(MentoringSession).where(
            MentoringSession.status.in_(_UPCOMING), MentoringSession.starts_at > now,
            MentoringSession.starts_at <= horizon,
            MentoringSession.approval_status.is_distinct_from("pending"))
        .order_by(MentoringSession.starts_at, MentoringSession.id)))
    queued = 0
    with mail_context():
        for session in sessions:
            for attendee in session.attendees:
                person = _person(attendee)
                if person is None or attendee.response in NOT_ATTENDING_RESPONSES:
                    continue
                locale = attendee_locale(attendee)
                with force_locale(locale):
                    subject = _("Reminder: %(summary)s, %(when)s",
                                summary=session_summary(session), when=when_text(session))
                    body = render_mail(locale, "kit/email/session_reminder.txt", session=session,
                                   attendee=attendee, name=person[1],
                                   summary=session_summary(session), when=when_text(session),
                                   url=attendee_url(attendee, session))
                # The start is in the key: a session moved after its reminder is reminded again.
                key = (f"session-reminder:{session.id}:{int(session.starts_at.timestamp())}:"
                       f"{attendee.id}")
                queued += enqueue(db, recipient=person[0], recipient_name=person[1],
                                  subject=subject, body_text=body, locale=locale,
                                  dedupe_key=key) is not None
            session.reminder_queued_at = session.reminder_queued_at or now
    db.flush()
    return queued


def send_attendance_nudges(db: Session, now: datetime | None = None) -> int:
    """Ask the organizer, once, to mark sessions left unmarked ``KIT_ATTENDANCE_NUDGE_DAYS``."""
    now = now or utcnow()
    due = now - timedelta(days=get_state().config["KIT_ATTENDANCE_NUDGE_DAYS"])
    sessions = db.scalars(
        select(MentoringSession).where(
            MentoringSession.status.in_(_UPCOMING), MentoringSession.ends_at <= due,
            MentoringSession.attendance_marked_at.is_(None),
            MentoringSession.attendance_nudged_at.is_(None))
        .options(selectinload(MentoringSession.session_type),
                 selectinload(MentoringSession.organizer))
        .order_by(MentoringSession.starts_at, MentoringSession.id))
    queued = 0
    with mail_context():
        for session in sessions:
            organizer = session.organizer
            session.attendance_nudged_at = now
            if not organizer.is_active:
                continue
            locale = organizer.preferred_locale
            with force_locale(locale):
                subject = _("Who came? %(summary)s, %(when)s", summary=session_summary(session),
                            when=when_text(session))
                body = render_mail(locale, "kit/email/session_nudge.txt", session=session,
                               name=organizer.display_name, summary=session_summary(session),
                               when=when_text(session),
                               url=mail_link("kit_staff.session", session_id=session.id))
            queued += enqueue(db, recipient=organizer.email,
                              recipient_name=organizer.display_name, subject=subject,
                              body_text=body, locale=locale,
                              dedupe_key=f"session-nudge:{session.id}") is not None
    db.flush()
    return queued


@dataclass(frozen=True)
class IdleReport:
    """What the idle-match job queued."""

    warnings: int = 0
    proposals: int = 0


def _coordinators(db: Session) -> list[StaffMember]:
    return list(db.scalars(
        select(StaffMember).join(StaffRole, StaffRole.staff_id == StaffMember.id)
        .where(StaffRole.role == "coordinator", StaffMember.is_active)
        .distinct().order_by(StaffMember.id)))


def _warn(db: Session, pace: MatchPace, days: int, key: str) -> int:
    match = db.get(Match, pace.match_id)
    mentor = db.get(StaffMember, pace.mentor_staff_id)
    newcomer = db.get(Newcomer, pace.newcomer_id)
    queued = 0
    people = [(mentor, "m", mail_link("kit_staff.sessions")),
              (newcomer, "n", mail_link("kit_newcomer.sessions"))]
    for person, side, url in people:
        if person is None or getattr(person, "erased_at", None) is not None:
            continue
        locale = person.preferred_locale
        with force_locale(locale):
            subject = _("No session for %(days)d days: shall we plan the next one?", days=days)
            body = render_mail(locale, "kit/email/session_idle_warning.txt", match=match,
                           pace=pace, name=person.display_name, days=days,
                           is_mentor=side == "m", url=url)
        queued += enqueue(db, recipient=person.email, recipient_name=person.display_name,
                          subject=subject, body_text=body, locale=locale,
                          dedupe_key=f"{key}:{side}") is not None
    return queued


def check_idle_matches(db: Session, now: datetime | None = None) -> IdleReport:
    """Warn both sides of matches idle ``KIT_IDLE_WARNING_DAYS``; after ``KIT_IDLE_CLOSE_DAYS``
    (and a warning), propose closing to the coordinators. Each step once per idle spell."""
    config = get_state().config
    now = now or utcnow()
    warnings = proposals = 0
    with mail_context():
        for pace in match_paces(db, now=now):
            if pace.next_session_at is not None:
                continue
            days = (now.date() - pace.idle_since).days
            spell = f"match-idle:{pace.match_id}:{pace.idle_since.isoformat()}"
            if days >= config["KIT_IDLE_WARNING_DAYS"]:
                warnings += _warn(db, pace, days, f"{spell}:warning")
            warned = db.scalar(select(OutboxMessage.id).where(
                OutboxMessage.dedupe_key.like(f"{spell}:warning:%"),
                OutboxMessage.created_at <= now - timedelta(days=1)).limit(1))
            if days >= config["KIT_IDLE_CLOSE_DAYS"] and warned:
                proposals += _propose_close(db, pace, days, spell)
    db.flush()
    return IdleReport(warnings, proposals)


def _propose_close(db: Session, pace: MatchPace, days: int, spell: str) -> int:
    queued = 0
    for coordinator in _coordinators(db):
        locale = coordinator.preferred_locale
        with force_locale(locale):
            subject = _("Close the match of %(mentor)s and %(newcomer)s? No session for "
                        "%(days)d days", mentor=pace.mentor_name, newcomer=pace.newcomer_name,
                        days=days)
            body = render_mail(locale, "kit/email/session_idle_close.txt", pace=pace, days=days,
                           name=coordinator.display_name, url=mail_link("kit_coordinator.pace"))
        queued += enqueue(db, recipient=coordinator.email,
                          recipient_name=coordinator.display_name, subject=subject,
                          body_text=body, locale=locale,
                          dedupe_key=f"{spell}:close:{coordinator.id}") is not None
    return queued

