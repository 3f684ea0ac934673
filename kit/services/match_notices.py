"""E-mails about matches, queued in the transaction of the step they announce.

Each goes to the other side of the step, in the recipient's language: the mentor hears of a
proposal, the newcomer of a mentor who accepted (with a fresh personal link), both of an
agreement that starts or a match that ends, the coordinator of a decline.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.auth.newcomer_links import issue_link
from kit.i18n import gettext
from kit.models import Match, Newcomer, StaffMember, StaffRole, VolunteerProfile
from kit.services.mail_compose import mail_link
from kit.services.outbox import enqueue
from kit.state import get_state
from kit.templating import program_name


def _mentor(db: Session, match: Match) -> StaffMember:
    volunteer = db.get(VolunteerProfile, match.volunteer_id)
    assert volunteer is not None
    return volunteer.staff


def _newcomer(db: Session, match: Match) -> Newcomer | None:
    newcomer = db.get(Newcomer, match.newcomer_id)
    return None if newcomer is None or newcomer.is_erased else newcomer


def _send_staff(db: Session, person: StaffMember, key: str, subject: str, body: str) -> None:
    if person.is_active:
        enqueue(db, recipient=person.email, recipient_name=person.display_name, subject=subject,
                body_text=body, locale=person.preferred_locale, dedupe_key=f"{key}:{person.id}")


def _send_newcomer(db: Session, newcomer: Newcomer, key: str, subject: str, body: str) -> None:
    enqueue(db, recipient=newcomer.email, recipient_name=newcomer.display_name, subject=subject,
            body_text=body, locale=newcomer.preferred_locale, dedupe_key=key)


def _lines(*parts: str | None) -> str:
    return "\n\n".join(part for part in parts if part) + "\n"


def notify_proposed(db: Session, match: Match) -> None:
    """Ask the mentor to accept or decline a proposed newcomer."""
    mentor = _mentor(db, match)
    newcomer = _newcomer(db, match)
    if newcomer is None:
        return
    with force_locale(mentor.preferred_locale):
        subject = gettext("A newcomer is proposed to you: %(name)s", name=newcomer.display_name)
        body = _lines(
            gettext("Hello %(name)s,", name=mentor.display_name),
            gettext("%(program)s proposes that you mentor %(newcomer)s. Please accept or "
                    "decline on your page:", program=program_name(mentor.preferred_locale),
                    newcomer=newcomer.display_name),
            mail_link("kit_staff.matches"))
    _send_staff(db, mentor, f"match:{match.id}:proposed", subject, body)


def notify_newcomer_asked(db: Session, match: Match) -> None:
    """Tell the newcomer a mentor accepted them, with a personal link to answer."""
    newcomer = _newcomer(db, match)
    if newcomer is None:
        return
    mentor = _mentor(db, match)
    url = None
    if mail_link("kit_newcomer.home") is not None:
        days = get_state().config["KIT_NEWCOMER_LINK_MAX_AGE_DAYS"]
        token = issue_link(db, current_app.secret_key, newcomer.id, max_age_days=days)
        url = mail_link("kit_newcomer.open_link", token=token)
    locale = newcomer.preferred_locale
    with force_locale(locale):
        subject = gettext("A mentor is proposed to you: %(name)s", name=mentor.display_name)
        body = _lines(
            gettext("Hello %(name)s,", name=newcomer.display_name),
            gettext("%(program)s proposes %(mentor)s as your mentor, and %(mentor)s has "
                    "accepted. Open your personal link to see why and to accept or decline:",
                    program=program_name(locale), mentor=mentor.display_name),
            url)
    _send_newcomer(db, newcomer, f"match:{match.id}:asked", subject, body)


def notify_activated(db: Session, match: Match) -> None:
    """Tell the mentor the newcomer accepted: the agreement starts."""
    mentor = _mentor(db, match)
    newcomer = _newcomer(db, match)
    name = newcomer.display_name if newcomer else "-"
    with force_locale(mentor.preferred_locale):
        subject = gettext("%(name)s accepted: your mentoring starts", name=name)
        body = _lines(
            gettext("Hello %(name)s,", name=mentor.display_name),
            gettext("%(newcomer)s accepted you as their mentor. Your agreement runs from "
                    "%(start)s to %(end)s.", newcomer=name,
                    start=format_date(match.started_on, "long"),
                    end=format_date(match.planned_end_on, "long")),
            mail_link("kit_staff.matches"))
    _send_staff(db, mentor, f"match:{match.id}:active", subject, body)


def _coordinators(db: Session, match: Match) -> list[StaffMember]:
    if match.proposed_by_id is not None:
        proposer = db.get(StaffMember, match.proposed_by_id)
        if proposer is not None and proposer.is_active:
            return [proposer]
    return list(db.scalars(
        select(StaffMember).join(StaffRole, StaffRole.staff_id == StaffMember.id)
        .where(StaffRole.role.in_(("coordinator", "admin")), StaffMember.is_active)
        .distinct().order_by(StaffMember.id)))


def notify_declined(db: Session, match: Match, by: str) -> None:
    """Tell the coordinator (and, when the newcomer declined, the mentor) with the reason."""
    mentor = _mentor(db, match)
    newcomer = _newcomer(db, match)
    name = newcomer.display_name if newcomer else "-"
    people = _coordinators(db, match)
    if by == "newcomer":
        people = [mentor, *(p for p in people if p.id != mentor.id)]
    for person in people:
        with force_locale(person.preferred_locale):
            subject = gettext("Match declined: %(mentor)s and %(newcomer)s",
                              mentor=mentor.display_name, newcomer=name)
            who = (gettext("%(mentor)s declined to mentor %(newcomer)s.",
                           mentor=mentor.display_name, newcomer=name) if by == "mentor" else
                   gettext("%(newcomer)s declined %(mentor)s as their mentor.",
                           mentor=mentor.display_name, newcomer=name))
            body = _lines(gettext("Hello %(name)s,", name=person.display_name), who,
                          gettext("Reason: %(reason)s", reason=match.decline_reason or "-"),
                          mail_link("kit_coordinator.match", match_id=match.id)
                          if person.id != mentor.id else None)
        _send_staff(db, person, f"match:{match.id}:declined", subject, body)


def notify_closed(db: Session, match: Match) -> None:
    """Tell the mentor and the newcomer that the match ended (the one who ended it too)."""
    mentor = _mentor(db, match)
    newcomer = _newcomer(db, match)
    name = newcomer.display_name if newcomer else "-"
    with force_locale(mentor.preferred_locale):
        subject = gettext("Your mentoring of %(name)s has ended", name=name)
        body = _lines(gettext("Hello %(name)s,", name=mentor.display_name),
                      gettext("Thank you for your time as a mentor. The program coordinator "
                              "will send you a short questionnaire."))
    _send_staff(db, mentor, f"match:{match.id}:closed", subject, body)
    if newcomer is not None:
        with force_locale(newcomer.preferred_locale):
            subject = gettext("Your mentoring with %(name)s has ended",
                              name=mentor.display_name)
            body = _lines(gettext("Hello %(name)s,", name=newcomer.display_name),
                          gettext("Your mentoring has ended. We wish you every success; the "
                                  "program coordinator will ask you about your job search in "
                                  "the coming months."))
        _send_newcomer(db, newcomer, f"match:{match.id}:closed", subject, body)
