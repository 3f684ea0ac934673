"""The manager's approval of mentoring on work hours (``KIT_MANAGER_APPROVAL``).

When an employee offers to mentor, their manager (the staff member whose directory id is the
employee's ``manager_directory_id``) gets an e-mail with a signed, expiring link to approve or
decline the time. The link carries the volunteer and the manager; nothing needs a sign-in. A
volunteer whose manager declined is not matched; the coordinator sees the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.i18n import gettext
from kit.models import StaffMember, VolunteerProfile
from kit.models.base import utcnow
from kit.services.audit import Actor, record
from kit.services.matches import MatchError
from kit.services.outbox import enqueue

SALT = "kit-manager-approval"
#: How long a manager's link works.
MAX_AGE_DAYS = 30


@dataclass(frozen=True)
class ApprovalRequest:
    """What a valid link opens: the volunteer's profile and the manager it was sent to."""

    volunteer: VolunteerProfile
    manager: StaffMember


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def manager_of(db: Session, staff: StaffMember) -> StaffMember | None:
    """The employee's manager as the directory names them, if known and active."""
    if not staff.manager_directory_id:
        return None
    return db.scalar(select(StaffMember).where(
        StaffMember.directory_id == staff.manager_directory_id, StaffMember.is_active))


def make_token(secret_key: str, volunteer_id: int, manager_id: int) -> str:
    """The signed token of a manager's link."""
    return _serializer(secret_key).dumps({"v": volunteer_id, "m": manager_id})


def request_approval(db: Session, actor: Actor, volunteer_id: int, secret_key: str,
                     link_url: Callable[[str], str | None]) -> bool:
    """Ask the volunteer's manager to approve the time; False when no manager is known.

    Asked once per offer: an offer already answered or already asked is left alone.
    """
    volunteer = db.get(VolunteerProfile, volunteer_id)
    if volunteer is None or volunteer.manager_approval is not None:
        return False
    manager = manager_of(db, volunteer.staff)
    if manager is None:
        return False
    volunteer.manager_approval = "pending"
    url = link_url(make_token(secret_key, volunteer.id, manager.id))
    with force_locale(manager.preferred_locale):
        subject = gettext("%(name)s offers to mentor a newcomer: your approval",
                          name=volunteer.staff.display_name)
        body = "\n\n".join(part for part in (
            gettext("Hello %(name)s,", name=manager.display_name),
            gettext("%(name)s offers to mentor a skilled newcomer in their profession, about "
                    "two hours a week on work hours for four months. Please approve or decline "
                    "this time:", name=volunteer.staff.display_name),
            url) if part) + "\n"
    enqueue(db, recipient=manager.email, recipient_name=manager.display_name, subject=subject,
            body_text=body, locale=manager.preferred_locale,
            dedupe_key=f"manager-approval:{volunteer.id}:{manager.id}")
    record(db, actor, "volunteer.manager_asked", "volunteer", volunteer.id,
           {"manager_id": manager.id})
    db.flush()
    return True


def open_request(db: Session, secret_key: str, token: str) -> ApprovalRequest | None:
    """The request behind a manager's link, or None when the link is broken or expired."""
    try:
        payload = _serializer(secret_key).loads(token, max_age=MAX_AGE_DAYS * 86400)
    except BadSignature:
        return None
    if (not isinstance(payload, dict) or not isinstance(payload.get("v"), int)
            or not isinstance(payload.get("m"), int)):
        return None
    volunteer = db.get(VolunteerProfile, payload.get("v"))
    manager = db.get(StaffMember, payload.get("m"))
    if volunteer is None or manager is None or volunteer.manager_approval is None:
        return None
    return ApprovalRequest(volunteer, manager)


def decide(db: Session, secret_key: str, token: str, approve: bool,
           remote_addr: str | None = None) -> VolunteerProfile:
    """Record the manager's answer once; raises :class:`MatchError` ('invalid_link',
    'already_decided')."""
    found = open_request(db, secret_key, token)
    if found is None:
        raise MatchError("invalid_link")
    volunteer = db.scalar(select(VolunteerProfile).where(
        VolunteerProfile.id == found.volunteer.id).with_for_update())
    assert volunteer is not None
    if volunteer.manager_approval != "pending":
        raise MatchError("already_decided")
    volunteer.manager_approval = "approved" if approve else "declined"
    volunteer.manager_decided_at = utcnow()
    record(db, Actor("staff", found.manager.id, remote_addr), "volunteer.manager_decided",
           "volunteer", volunteer.id, {"decision": volunteer.manager_approval})
    db.flush()
    return volunteer
