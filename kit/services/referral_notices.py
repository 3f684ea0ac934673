"""E-mails about referrals, queued in the same transaction as the change they announce.

Coordinators hear of new referrals (one e-mail each, or a daily digest with
``KIT_REFERRAL_DIGEST``); the agency hears of each decision. Every message is written in its
recipient's language.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import render_template, url_for
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from kit.config import localized
from kit.i18n import gettext, template_gettext
from kit.labels import label
from kit.models import Referral, StaffMember, StaffRole
from kit.models.base import utcnow
from kit.services.outbox import enqueue
from kit.state import get_state


def _url(endpoint: str, **values: object) -> str | None:
    # The page may live on another host (an agency-only portal): then the e-mail has no link.
    try:
        return url_for(endpoint, _external=True, **values)
    except BuildError:
        return None


def _coordinators(db: Session) -> list[StaffMember]:
    return list(db.scalars(
        select(StaffMember).join(StaffRole, StaffRole.staff_id == StaffMember.id)
        .where(StaffRole.role.in_(("coordinator", "admin")), StaffMember.is_active)
        .distinct().order_by(StaffMember.id)))


def _render(locale: str, template: str, **context: object) -> str:
    program = localized(get_state().config["KIT_PROGRAM_NAME"], locale)
    return render_template(template, _=template_gettext, label=label, program=program,
                           **context)


def notify_new_referral(db: Session, referral: Referral) -> int:
    """Tell every coordinator about a submitted referral (unless they get a digest)."""
    if get_state().config["KIT_REFERRAL_DIGEST"] or referral.status != "submitted":
        return 0
    url = _url("kit_coordinator.referral", referral_id=referral.id)
    sent = 0
    for coordinator in _coordinators(db):
        with force_locale(coordinator.preferred_locale):
            subject = gettext("New referral: %(name)s from %(agency)s",
                              name=referral.newcomer.display_name, agency=referral.agency.name)
            body = _render(coordinator.preferred_locale, "kit/email/new_referral.txt",
                           referral=referral, recipient=coordinator, url=url)
        enqueue(db, recipient=coordinator.email, subject=subject, body_text=body,
                locale=coordinator.preferred_locale,
                dedupe_key=f"referral-new:{referral.id}:{int(referral.submitted_at.timestamp())}:"
                           f"{coordinator.id}")
        sent += 1
    return sent


def notify_decision(db: Session, referral: Referral) -> bool:
    """Tell the agency what the coordinator decided, with the reasons and the note."""
    user = referral.referred_by
    recipient = user.email if user is not None else referral.agency.email
    if not recipient:
        return False
    locale = user.preferred_locale if user is not None else "en"
    with force_locale(locale):
        subject = gettext("Referral of %(name)s: %(status)s",
                          name=referral.newcomer.display_name,
                          status=label("referral_status", referral.status))
        body = _render(locale, "kit/email/referral_decision.txt", referral=referral,
                       url=_url("kit_agency.referral", referral_id=referral.id))
    enqueue(db, recipient=recipient, subject=subject, body_text=body, locale=locale)
    return True


def send_digest(db: Session, now: datetime | None = None) -> int:
    """One e-mail per coordinator listing the referrals submitted in the last 24 hours.

    Safe to run twice a day or on two hosts: each coordinator gets one digest per day.
    """
    now = now or utcnow()
    referrals = list(db.scalars(
        select(Referral).where(Referral.status == "submitted",
                               Referral.submitted_at > now - timedelta(days=1))
        .order_by(Referral.submitted_at)))
    if not referrals:
        return 0
    url = _url("kit_coordinator.referrals")
    sent = 0
    for coordinator in _coordinators(db):
        with force_locale(coordinator.preferred_locale):
            subject = gettext("%(count)d new referrals", count=len(referrals))
            body = _render(coordinator.preferred_locale, "kit/email/referral_digest.txt",
                           referrals=referrals, recipient=coordinator, url=url)
        message = enqueue(db, recipient=coordinator.email, subject=subject, body_text=body,
                          locale=coordinator.preferred_locale,
                          dedupe_key=f"referral-digest:{now:%Y-%m-%d}:{coordinator.id}")
        sent += message is not None
    return sent
