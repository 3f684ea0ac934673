"""E-mails about referrals, queued in the same transaction as the change they announce.

Coordinators hear of new referrals (one e-mail each, or a daily digest with
``KIT_REFERRAL_DIGEST``); the agency hears of each decision. Every message is written in its
recipient's language. Outside a request (the digest command) wrap the calls in
:func:`mail_context`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.i18n import gettext
from kit.labels import label
from kit.models import Newcomer, Referral, StaffMember, StaffRole
from kit.models.base import utcnow
from kit.services.mail_compose import mail_link, render_mail
from kit.services.outbox import enqueue
from kit.state import get_state


def _coordinators(db: Session) -> list[StaffMember]:
    return list(db.scalars(
        select(StaffMember).join(StaffRole, StaffRole.staff_id == StaffMember.id)
        .where(StaffRole.role.in_(("coordinator", "admin")), StaffMember.is_active)
        .distinct().order_by(StaffMember.id)))


def notify_new_referral(db: Session, referral: Referral) -> int:
    """Tell every coordinator about a submitted referral (unless they get a digest).

    Returns how many e-mails were queued; a referral already announced is not announced
    twice, but a re-submission is announced again.
    """
    if get_state().config["KIT_REFERRAL_DIGEST"] or referral.status != "submitted":
        return 0
    url = mail_link("kit_coordinator.referral", referral_id=referral.id)
    # The results were stored by foreign key: read them afresh, not the stale collection.
    db.flush()
    db.expire(referral, ["eligibility_results"])
    submitted = int(referral.submitted_at.timestamp()) if referral.submitted_at else 0
    queued = 0
    for coordinator in _coordinators(db):
        locale = coordinator.preferred_locale
        with force_locale(locale):
            subject = gettext("New referral: %(name)s from %(agency)s",
                              name=referral.newcomer.display_name, agency=referral.agency.name)
            body = render_mail(locale, "kit/email/new_referral.txt",
                           referral=referral, recipient=coordinator, url=url)
        message = enqueue(db, recipient=coordinator.email, recipient_name=coordinator.display_name,
                          subject=subject, body_text=body, locale=locale,
                          dedupe_key=f"referral-new:{referral.id}:{submitted}:{coordinator.id}")
        queued += message is not None
    return queued


def notify_decision(db: Session, referral: Referral) -> bool:
    """Tell the agency what the coordinator decided, with the reasons and the note.

    The caseworker who referred the newcomer hears it in their language; a referral made
    through the API (no caseworker) goes to the agency's address in the default language.
    Returns False when there is nobody to tell or nothing was decided.
    """
    if referral.status not in ("accepted", "referred_back") or referral.decided_at is None:
        return False
    user = referral.referred_by
    if user is not None and user.is_active:
        recipient, name, locale = user.email, user.display_name, user.preferred_locale
    else:
        recipient, name = referral.agency.email, referral.agency.name
        locale = get_state().config["KIT_DEFAULT_LOCALE"]
    if not recipient:
        return False
    with force_locale(locale):
        subject = gettext("Referral of %(name)s: %(status)s",
                          name=referral.newcomer.display_name,
                          status=label("referral_status", referral.status))
        body = render_mail(locale, "kit/email/referral_decision.txt", referral=referral,
                       url=mail_link("kit_agency.referral", referral_id=referral.id))
    message = enqueue(db, recipient=recipient, recipient_name=name, subject=subject,
                      body_text=body, locale=locale,
                      dedupe_key=f"referral-decision:{referral.id}:"
                                 f"{int(referral.decided_at.timestamp())}")
    return message is not None


def send_digest(db: Session, now: datetime | None = None) -> int:
    """One e-mail per coordinator listing the referrals submitted in the last 24 hours.

    Safe to run twice a day or on two hosts: each coordinator gets one digest per calendar
    day of the employer's time zone. Returns how many digests were queued; the caller commits.
    """
    now = now or utcnow()
    referrals = list(db.scalars(
        select(Referral).join(Newcomer, Newcomer.id == Referral.newcomer_id)
        .where(Referral.status == "submitted", Referral.submitted_at > now - timedelta(days=1),
               Newcomer.erased_at.is_(None))
        .order_by(Referral.submitted_at, Referral.id)))
    if not referrals:
        return 0
    day = now.astimezone(ZoneInfo(get_state().config["KIT_TIMEZONE"])).date()
    url = mail_link("kit_coordinator.referrals")
    queued = 0
    for coordinator in _coordinators(db):
        locale = coordinator.preferred_locale
        with force_locale(locale):
            # One phrasing for any count: the subject reads right for 1 and for 12.
            subject = gettext("New referrals: %(count)d", count=len(referrals))
            body = render_mail(locale, "kit/email/referral_digest.txt",
                           referrals=referrals, recipient=coordinator, url=url)
        message = enqueue(db, recipient=coordinator.email, recipient_name=coordinator.display_name,
                          subject=subject, body_text=body, locale=locale,
                          dedupe_key=f"referral-digest:{day.isoformat()}:{coordinator.id}")
        queued += message is not None
    return queued
