"""Calendar invitations by e-mail: one message per attendee, in their language, with a .ics.

Outlook, Google and Apple calendars recognise an update by the session's stable ``uid`` and a
higher ``sequence``: the scheduling service raises the sequence before it sends an update or a
cancellation, so each (session, sequence, method, person) is queued at most once (outbox
``dedupe_key``), even when a request is retried.
"""

from __future__ import annotations

from typing import Literal

from flask_babel import force_locale, format_date, format_time
from sqlalchemy.orm import Session

from kit.i18n import gettext as _
from kit.labels import label
from kit.models import MentoringSession, SessionAttendee
from kit.models.sessions import NOT_ATTENDING_RESPONSES
from kit.scheduling.ical import (
    Attendee,
    CalendarEvent,
    Person,
    compose_description,
    invitation,
)
from kit.scheduling.times import to_local
from kit.services.mail_compose import mail_context, mail_link, render_mail
from kit.services.outbox import enqueue
from kit.state import get_state

Method = Literal["REQUEST", "CANCEL"]


def session_zone(session: MentoringSession) -> str:
    """The zone a session is shown in: the one it was typed in, else the employer's."""
    return session.time_zone or get_state().config["KIT_TIMEZONE"]


def session_summary(session: MentoringSession) -> str:
    """The event's title in the current language: its type, then its own title if any."""
    kind = label("session_type", session.session_type.code)
    return f"{kind}: {session.title}" if session.title else kind


def calendar_event(session: MentoringSession, *, with_attendees: bool = True,
                   reason: str | None = None) -> CalendarEvent:
    """The session as calendars see it, its texts in the current language."""
    sections: list[tuple[str, str | None]] = [
        (_("Host department"), session.host_department),
        (_("Visitor instructions"), session.visitor_instructions),
        (_("Confidentiality"), session.confidentiality_note),
    ]
    if reason:
        sections.insert(0, (_("Reason"), reason))
    attendees: tuple[Attendee, ...] = ()
    if with_attendees:
        attendees = tuple(
            Attendee(email=email, name=name)
            for email, name in (_address(a) for a in session.attendees
                                if a.response not in NOT_ATTENDING_RESPONSES)
            if email
        )
    return CalendarEvent(
        uid=session.uid, sequence=session.sequence, summary=session_summary(session),
        start=session.starts_at, end=session.ends_at, zone=session_zone(session),
        organizer=Person(session.organizer.email, session.organizer.display_name),
        attendees=attendees, location_building=session.location_building,
        location_room=session.location_room, location_address=session.location_address,
        online_url=session.online_url, description=compose_description(sections) or None,
        cancelled=session.is_cancelled,
    )


def _address(attendee: SessionAttendee) -> tuple[str, str]:
    if attendee.staff is not None:
        return attendee.staff.email, attendee.staff.display_name
    if attendee.newcomer is not None and attendee.newcomer.erased_at is None:
        return attendee.newcomer.email, attendee.newcomer.display_name
    return "", ""


def attendee_locale(attendee: SessionAttendee) -> str:
    """The language an attendee reads their e-mail in."""
    person = attendee.staff or attendee.newcomer
    return person.preferred_locale if person is not None else get_state().config[
        "KIT_DEFAULT_LOCALE"]


def attendee_url(attendee: SessionAttendee, session: MentoringSession) -> str | None:
    """The page where this attendee sees (and answers) the session, if it can be linked."""
    if attendee.newcomer_id is not None:
        return mail_link("kit_newcomer.sessions")
    return mail_link("kit_staff.session", session_id=session.id)


def send_invitations(db: Session, session: MentoringSession, method: Method = "REQUEST", *,
                     reason: str | None = None) -> int:
    """Queue one invitation (REQUEST) or cancellation (CANCEL) per attendee; returns how many.

    The caller has already raised ``session.sequence`` for an update or a cancellation. People
    who declined or wait for a seat get no REQUEST; a CANCEL goes to everyone invited.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported METHOD {method!r}")
    db.flush()
    queued = 0
    with mail_context():
        for attendee in session.attendees:
            if method == "REQUEST" and attendee.response in NOT_ATTENDING_RESPONSES:
                continue
            email, name = _address(attendee)
            if not email:
                continue
            locale = attendee_locale(attendee)
            with force_locale(locale):
                event = calendar_event(session, reason=reason if method == "CANCEL" else None)
                ics = invitation(event, method)
                subject, template = _subject(session, method, event.summary)
                body = render_mail(locale, template, session=session, attendee=attendee,
                               event=event, reason=reason, when=when_text(session),
                               url=attendee_url(attendee, session))
            person = f"s{attendee.staff_id}" if attendee.staff_id else f"n{attendee.newcomer_id}"
            message = enqueue(
                db, recipient=email, recipient_name=name, subject=subject, body_text=body,
                locale=locale, ical=ics,
                dedupe_key=f"session-{method.lower()}:{session.id}:{session.sequence}:{person}")
            queued += message is not None
    return queued


def _subject(session: MentoringSession, method: Method, summary: str) -> tuple[str, str]:
    when = when_text(session)
    if method == "CANCEL":
        return (_("Cancelled: %(summary)s, %(when)s", summary=summary, when=when),
                "kit/email/session_cancelled.txt")
    if session.sequence > 0:
        return (_("Updated: %(summary)s, %(when)s", summary=summary, when=when),
                "kit/email/session_invitation.txt")
    return (_("Invitation: %(summary)s, %(when)s", summary=summary, when=when),
            "kit/email/session_invitation.txt")


def when_text(session: MentoringSession) -> str:
    """Date and hours of the session on its zone's wall clock, in the current language."""
    zone = session_zone(session)
    start = to_local(session.starts_at, zone)
    end = to_local(session.ends_at, zone)
    return _("%(day)s, %(start)s to %(end)s", day=format_date(start, "full", rebase=False),
             start=format_time(start, "short", rebase=False),
             end=format_time(end, "short", rebase=False))
