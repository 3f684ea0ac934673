"""Monthly check-ins: a short survey for the mentor and the newcomer of each active match.

``send_checkins`` (``flask kit checkins send``, for cron) creates one check-in per respondent
per match per month and e-mails a link: the newcomer gets a fresh personal link, the mentor a
link to their signed-in page. It is safe to run again or on several hosts at once: the
check-in is unique per (match, respondent, month) and its e-mail has a dedupe key. An answer
with a concern (or a satisfaction of 2 or less) is flagged on the coordinator's list until
resolved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from kit.config import localized
from kit.i18n import gettext as _
from kit.i18n import template_gettext
from kit.models import CheckIn, Match, Newcomer, VolunteerProfile
from kit.models.base import utcnow
from kit.services.audit import Actor, record
from kit.services.outbox import enqueue
from kit.templating import program_name

#: A satisfaction this low is a concern even without words.
LOW_SATISFACTION = 2


class CheckInError(Exception):
    """A check-in that cannot be answered: unknown, not the person's, or already answered."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Question:
    """One of the program's extra questions, in the reader's language."""

    key: str
    text: str
    kind: str  # 'text' or 'scale' (1 to 5)


@dataclass(frozen=True)
class CheckInAnswer:
    """What a respondent answers."""

    satisfaction: int
    went_well: str | None = None
    concerns: str | None = None
    answers: Mapping[str, Any] | None = None


def questions(config: Mapping[str, Any], locale: str) -> list[Question]:
    """The extra questions of ``KIT_CHECKIN_QUESTIONS`` in ``locale``."""
    return [Question(q["key"], localized(q["text"], locale), q.get("kind", "text"))
            for q in config["KIT_CHECKIN_QUESTIONS"]]


def month_start(day: date) -> date:
    """The first day of ``day``'s month: the period a check-in is about."""
    return day.replace(day=1)


@dataclass(frozen=True)
class Mailer:
    """How ``send_checkins`` builds its links (they need a request or SERVER_NAME)."""

    newcomer_url: Callable[[int], str | None]  # newcomer id -> a personal link to the check-in
    mentor_url: Callable[[], str | None]


def _create(db: Session, match_id: int, respondent: str, period: date) -> CheckIn | None:
    """The month's check-in, or None when another run created it first."""
    try:
        with db.begin_nested():
            check_in = CheckIn(match_id=match_id, respondent=respondent, period_start=period,
                               sent_at=utcnow())
            db.add(check_in)
        return check_in
    except IntegrityError:
        return None


def send_checkins(db: Session, mailer: Mailer, today: date | None = None) -> int:
    """Create this month's check-ins of every active match and queue their e-mails.

    Returns how many e-mails were queued; the caller commits. Running it twice in a month
    queues nothing more.
    """
    today = today or date.today()
    period = month_start(today)
    existing = set(db.execute(select(CheckIn.match_id, CheckIn.respondent)
                              .where(CheckIn.period_start == period)))
    matches = db.scalars(
        select(Match).options(joinedload(Match.newcomer),
                              joinedload(Match.volunteer).joinedload(VolunteerProfile.staff))
        .where(Match.status == "active", Match.started_on <= today)
        .order_by(Match.id)).unique()
    queued = 0
    for match in matches:
        people = (("mentor", match.volunteer.staff), ("newcomer", match.newcomer))
        for respondent, person in people:
            if (match.id, respondent) in existing:
                continue
            if isinstance(person, Newcomer) and person.erased_at is not None:
                continue
            if _create(db, match.id, respondent, period) is None:
                continue
            queued += _mail(db, mailer, match, respondent, person, period)
    return queued


def _mail(db: Session, mailer: Mailer, match: Match, respondent: str, person: Any,
          period: date) -> int:
    locale = person.preferred_locale or "en"
    with force_locale(locale):
        url = (mailer.newcomer_url(person.id) if respondent == "newcomer"
               else mailer.mentor_url())
        partner = (match.newcomer.display_name if respondent == "mentor"
                   else match.volunteer.staff.display_name)
        subject = _("How is your mentoring going? Your monthly check-in")
        body = render_template("kit/email/checkin.txt", _=template_gettext,
                               name=person.display_name, partner=partner, url=url,
                               program=program_name(locale), period=period)
    message = enqueue(db, recipient=person.email, recipient_name=person.display_name,
                      subject=subject, body_text=body, locale=locale,
                      dedupe_key=f"checkin:{match.id}:{period:%Y-%m}:{respondent}")
    return 0 if message is None else 1


def open_checkins(db: Session, respondent: str, person_id: int) -> list[CheckIn]:
    """Unanswered check-ins of a mentor (staff id) or a newcomer, oldest month first."""
    query = (select(CheckIn).options(joinedload(CheckIn.match).joinedload(Match.newcomer),
                                     joinedload(CheckIn.match).joinedload(Match.volunteer)
                                     .joinedload(VolunteerProfile.staff))
             .join(Match, Match.id == CheckIn.match_id)
             .where(CheckIn.respondent == respondent, CheckIn.answered_at.is_(None))
             .order_by(CheckIn.period_start, CheckIn.id))
    if respondent == "mentor":
        query = query.join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id).where(
            VolunteerProfile.staff_id == person_id)
    else:
        query = query.where(Match.newcomer_id == person_id)
    return list(db.scalars(query).unique())


def answer_checkin(db: Session, actor: Actor, check_in_id: int, respondent: str,
                   person_id: int, answer: CheckInAnswer) -> CheckIn:
    """Record a respondent's answer; flushes, the caller commits. Raises CheckInError."""
    check_in = next((c for c in open_checkins(db, respondent, person_id)
                     if c.id == check_in_id), None)
    if check_in is None:
        answered = db.get(CheckIn, check_in_id)
        if answered is not None and answered.is_answered and _belongs(
                db, answered, respondent, person_id):
            raise CheckInError("answered", _("This check-in is already answered. Thank you!"))
        raise CheckInError("not_found")
    if not 1 <= answer.satisfaction <= 5:
        raise CheckInError("satisfaction", _("Choose a satisfaction from 1 to 5."))
    check_in.satisfaction = answer.satisfaction
    check_in.went_well = (answer.went_well or "").strip() or None
    check_in.concerns = (answer.concerns or "").strip() or None
    check_in.answers = dict(answer.answers or {}) or None
    check_in.has_concern = bool(check_in.concerns) or answer.satisfaction <= LOW_SATISFACTION
    check_in.answered_at = utcnow()
    db.flush()
    record(db, actor, "checkin.answered", "check_in", check_in.id,
           {"concern": check_in.has_concern})
    return check_in


def _belongs(db: Session, check_in: CheckIn, respondent: str, person_id: int) -> bool:
    if check_in.respondent != respondent:
        return False
    match = db.get(Match, check_in.match_id)
    if match is None:
        return False
    if respondent == "newcomer":
        return match.newcomer_id == person_id
    return db.scalar(select(VolunteerProfile.staff_id)
                     .where(VolunteerProfile.id == match.volunteer_id)) == person_id


def concerns(db: Session, page: int, page_size: int, *, resolved: bool = False
             ) -> tuple[list[CheckIn], int]:
    """Answered check-ins flagged with a concern (unresolved first by default); (rows, pages)."""
    condition = (CheckIn.has_concern,
                 CheckIn.concern_resolved_at.is_not(None) if resolved
                 else CheckIn.concern_resolved_at.is_(None))
    total = db.scalar(select(func.count()).select_from(CheckIn).where(*condition)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    rows = db.scalars(
        select(CheckIn).options(joinedload(CheckIn.match).joinedload(Match.newcomer),
                                joinedload(CheckIn.match).joinedload(Match.volunteer)
                                .joinedload(VolunteerProfile.staff))
        .where(*condition).order_by(CheckIn.answered_at.desc(), CheckIn.id.desc())
        .limit(page_size).offset((page - 1) * page_size)).unique().all()
    return list(rows), pages


def resolve_concern(db: Session, actor: Actor, check_in_id: int) -> CheckIn:
    """Mark a flagged concern as dealt with; flushes, the caller commits."""
    check_in = db.get(CheckIn, check_in_id)
    if check_in is None or not check_in.has_concern:
        raise CheckInError("not_found")
    if check_in.concern_resolved_at is None:
        check_in.concern_resolved_at = utcnow()
        check_in.concern_resolved_by_id = actor.id
        db.flush()
        record(db, actor, "checkin.concern_resolved", "check_in", check_in.id)
    return check_in
