"""Personal calendar feeds: create, rotate, revoke, and serve a person's sessions as iCalendar.

The URL holds a random token; only its SHA-256 is stored, so the URL is shown once, when it is
made. Rotating revokes the old URL at once (a calendar still subscribed to it gets 404).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from kit.i18n import gettext as _
from kit.models import CalendarFeed, MentoringSession, Newcomer, SessionAttendee, StaffMember
from kit.models.base import utcnow
from kit.scheduling.ical import feed
from kit.services.audit import Actor, record
from kit.services.invitations import calendar_event
from kit.state import get_state

#: How far back a feed shows sessions: calendars keep what they have already seen.
FEED_HISTORY = timedelta(days=90)


@dataclass(frozen=True)
class Owner:
    """Whose feed: a staff member (``kind`` 'staff') or a newcomer ('newcomer')."""

    kind: str
    id: int

    def column(self) -> InstrumentedAttribute[int | None]:
        """The feed column naming this owner."""
        return CalendarFeed.staff_id if self.kind == "staff" else CalendarFeed.newcomer_id


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def live_feed(db: Session, owner: Owner) -> CalendarFeed | None:
    """The owner's current feed, if any."""
    return db.scalars(select(CalendarFeed).where(owner.column() == owner.id,
                                                 CalendarFeed.revoked_at.is_(None))).first()


def revoke_feed(db: Session, owner: Owner) -> bool:
    """Revoke the owner's feed; False when there was none."""
    done = db.execute(update(CalendarFeed).where(owner.column() == owner.id,
                                                 CalendarFeed.revoked_at.is_(None))
                      .values(revoked_at=utcnow())).rowcount
    if done:
        record(db, Actor(owner.kind, owner.id), "calendar_feed.revoked", owner.kind, owner.id)
    db.flush()
    return bool(done)


def create_feed(db: Session, owner: Owner) -> str:
    """A new secret token for the owner (any previous feed is revoked); shown once."""
    revoke_feed(db, owner)
    token = secrets.token_urlsafe(32)
    values = {"staff_id": owner.id} if owner.kind == "staff" else {"newcomer_id": owner.id}
    db.add(CalendarFeed(token_hash=_hash(token), **values))
    record(db, Actor(owner.kind, owner.id), "calendar_feed.created", owner.kind, owner.id)
    db.flush()
    return token


def feed_for_token(db: Session, token: str) -> str | None:
    """The iCalendar text of the live feed with this token, or None (unknown or revoked)."""
    if not token or len(token) > 100:
        return None
    row = db.scalars(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token),
                                                CalendarFeed.revoked_at.is_(None))).first()
    if row is None:
        return None
    if row.staff_id is not None:
        person = db.get(StaffMember, row.staff_id)
        person_filter = SessionAttendee.staff_id == row.staff_id
    else:
        person = db.get(Newcomer, row.newcomer_id)
        person_filter = SessionAttendee.newcomer_id == row.newcomer_id
    if person is None or getattr(person, "erased_at", None) is not None:
        return None
    sessions = db.scalars(
        select(MentoringSession)
        .join(SessionAttendee, SessionAttendee.session_id == MentoringSession.id)
        .where(person_filter, MentoringSession.ends_at >= utcnow() - FEED_HISTORY,
               MentoringSession.approval_status.is_distinct_from("pending"))
        .options(selectinload(MentoringSession.session_type),
                 selectinload(MentoringSession.organizer))
        .order_by(MentoringSession.starts_at)).all()
    row.last_read_at = utcnow()
    with force_locale(person.preferred_locale):
        events = [calendar_event(s, with_attendees=False) for s in sessions]
        name = _("Mentoring sessions")
    return feed(events, name, zone=get_state().config["KIT_TIMEZONE"])
