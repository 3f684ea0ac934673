"""The host manager's approval of a job-shadowing visit (with ``KIT_SHADOWING_APPROVAL``).

A visitor in another department's workplace needs its manager's yes. The manager receives a
signed link (its own salt, valid two weeks, tied to the session's SEQUENCE so a link for an
earlier time stops working once the visit moves) and approves or refuses without signing in.
Invitations go only after the yes; a no cancels the visit and tells the mentor why.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kit.i18n import gettext as _
from kit.models import MentoringSession, StaffMember
from kit.models.base import utcnow
from kit.scheduling.errors import SchedulingError
from kit.services.audit import Actor, record
from kit.services.invitations import send_invitations, session_summary, when_text
from kit.services.mail_compose import mail_context, mail_link, render_mail
from kit.services.outbox import enqueue
from kit.state import get_state

APPROVAL_SALT = "kit-shadowing-approval"
APPROVAL_MAX_AGE = timedelta(days=14)
SHADOWING = "job_shadowing"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=APPROVAL_SALT)


def needs_approval(db: Session, session: MentoringSession) -> bool:
    """Whether this session waits for (or has not yet had) the host manager's approval."""
    if not get_state().config["KIT_SHADOWING_APPROVAL"]:
        return False
    return session.session_type.code == SHADOWING and session.approval_status != "approved"


def approval_token(session: MentoringSession) -> str:
    """The signed token of the approval link for the session's current version."""
    return _serializer().dumps({"s": session.id, "q": session.sequence})


def _manager_of(db: Session, staff: StaffMember) -> StaffMember | None:
    if not staff.manager_directory_id:
        return None
    return db.scalars(select(StaffMember).where(
        StaffMember.directory_id == staff.manager_directory_id)).first()


def request_approval(db: Session, session: MentoringSession, approver_email: str | None) -> None:
    """Mark the visit pending and e-mail the approval link to the host manager.

    Without an address given, the organizer's own manager from the directory is asked;
    ``approver_required`` when there is none.
    """
    organizer = db.get(StaffMember, session.organizer_id)
    approver = None
    if approver_email:
        approver = db.scalars(select(StaffMember).where(
            func.lower(StaffMember.email) == approver_email.strip().lower())).first()
    elif organizer is not None:
        approver = _manager_of(db, organizer)
        approver_email = approver.email if approver else None
    if not approver_email:
        raise SchedulingError("approver_required", "no host manager to approve the visit")
    session.approval_status = "pending"
    session.approver_email = approver_email.strip()
    session.approval_decided_at = None
    db.flush()
    locale = approver.preferred_locale if approver else get_state().config["KIT_DEFAULT_LOCALE"]
    with mail_context(), force_locale(locale):
        url = mail_link("kit_staff.shadowing_approval", token=approval_token(session))
        subject = _("Approval asked: job shadowing in your department, %(when)s",
                    when=when_text(session))
        body = render_mail(locale, "kit/email/session_approval.txt", session=session,
                       organizer=organizer, summary=session_summary(session),
                       when=when_text(session), url=url)
    enqueue(db, recipient=session.approver_email,
            recipient_name=approver.display_name if approver else None, subject=subject,
            body_text=body, locale=locale,
            dedupe_key=f"session-approval:{session.id}:{session.sequence}")


def session_for_token(db: Session, token: str) -> MentoringSession:
    """The session an approval link names, if the link is genuine, fresh and current."""
    try:
        data = _serializer().loads(token, max_age=int(APPROVAL_MAX_AGE.total_seconds()))
    except BadSignature:  # SignatureExpired is a BadSignature
        raise SchedulingError("link_invalid", "bad or expired approval link") from None
    session = db.get(MentoringSession, data.get("s")) if isinstance(data, dict) else None
    if session is None or session.sequence != data.get("q"):
        raise SchedulingError("link_invalid", "the visit changed since the link was sent")
    return session


def decide_approval(db: Session, token: str, *, approve: bool,
                    note: str | None = None) -> MentoringSession:
    """The host manager approves (invitations go) or refuses (the visit is cancelled)."""
    session = session_for_token(db, token)
    if session.approval_status != "pending" or session.status not in ("scheduled", "confirmed"):
        raise SchedulingError("already_decided", f"session {session.id} is decided")
    session.approval_decided_at = utcnow()
    actor = Actor("system")
    note = (note or "").strip()[:500] or None
    if approve:
        session.approval_status = "approved"
        record(db, actor, "session.visit_approved", "session", session.id,
               {"approver": session.approver_email})
        send_invitations(db, session)
        return session
    session.approval_status = "refused"
    session.status = "cancelled"
    session.sequence += 1
    session.cancel_reason = note or "refused by the host department"
    record(db, actor, "session.visit_refused", "session", session.id,
           {"approver": session.approver_email, "note": note})
    organizer = db.get(StaffMember, session.organizer_id)
    if organizer is not None:
        with mail_context(), force_locale(organizer.preferred_locale):
            subject = _("Job shadowing not approved: %(when)s", when=when_text(session))
            body = render_mail(organizer.preferred_locale, "kit/email/session_refused.txt",
                           session=session, organizer=organizer, note=note,
                           when=when_text(session),
                           url=mail_link("kit_staff.session", session_id=session.id))
        enqueue(db, recipient=organizer.email, recipient_name=organizer.display_name,
                subject=subject, body_text=body, locale=organizer.preferred_locale,
                dedupe_key=f"session-refused:{session.id}:{session.sequence}")
    db.flush()
    return session
