"""No double booking: lock the people of a session, then look for their overlapping sessions.

Checking and inserting in two steps is only safe when two requests for the same person cannot
interleave. On PostgreSQL the people's rows (``kit_staff_member``, ``kit_newcomer``) are locked
``FOR UPDATE`` in id order before the check, so a second request for any of them waits until the
first commits, then sees its session and gets :class:`SessionConflict`. Locking in id order means
two requests for overlapping sets of people never deadlock. SQLite has one writer at a time and
ignores ``FOR UPDATE``.

The overlap rule is :mod:`kit.scheduling.conflicts`: half-open intervals, cancelled sessions and
attendees who declined or wait for a seat block nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from kit.i18n import gettext as _
from kit.models import MentoringSession, Newcomer, SessionAttendee, StaffMember
from kit.models.sessions import NOT_ATTENDING_RESPONSES
from kit.scheduling.conflicts import NON_BLOCKING_STATUSES
from kit.scheduling.errors import SchedulingError
from kit.services.invitations import when_text

STAFF_BUSY = "staff_busy"
NEWCOMER_BUSY = "newcomer_busy"


class SessionConflict(SchedulingError):
    """One of the people is already in another session at that time.

    ``code`` is ``staff_busy`` or ``newcomer_busy``; ``session`` is the clashing session and
    ``staff_id``/``newcomer_id`` the person who is busy. :meth:`message` says it in the reader's
    language.
    """

    def __init__(self, code: str, session: MentoringSession, *, name: str = "",
                 staff_id: int | None = None, newcomer_id: int | None = None) -> None:
        super().__init__(code, f"{code}: session {session.id} at {session.starts_at:%Y-%m-%d}")
        self.session = session
        self.name = name
        self.staff_id = staff_id
        self.newcomer_id = newcomer_id

    def message(self) -> str:
        """What the person scheduling reads, translated."""
        return _("%(name)s already has another session on %(when)s: nobody can be in two "
                 "sessions at once. Choose another time.", name=self.name,
                 when=when_text(self.session))


def _lock(db: Session, model: type[StaffMember] | type[Newcomer], ids: list[int]) -> None:
    if ids:
        db.execute(select(model.id).where(model.id.in_(ids)).order_by(model.id)
                   .with_for_update())


def lock_and_check(db: Session, *, starts_at: datetime, ends_at: datetime,
                   staff_ids: Iterable[int], newcomer_ids: Iterable[int],
                   exclude_session_id: int | None = None) -> None:
    """Lock the people; raise :class:`SessionConflict` if any is busy in ``[starts_at, ends_at)``.

    Call it in the transaction that then writes the session, right before writing: the locks
    hold until that transaction ends. ``exclude_session_id`` is the session being moved.
    """
    if not starts_at < ends_at:
        raise SchedulingError("invalid_interval", "a session must end after it starts")
    staff = sorted(set(staff_ids))
    newcomers = sorted(set(newcomer_ids))
    _lock(db, StaffMember, staff)
    _lock(db, Newcomer, newcomers)
    people = []
    if staff:
        people.append(SessionAttendee.staff_id.in_(staff))
    if newcomers:
        people.append(SessionAttendee.newcomer_id.in_(newcomers))
    if not people:
        return
    query = (
        select(SessionAttendee)
        .join(MentoringSession, MentoringSession.id == SessionAttendee.session_id)
        .where(or_(*people),
               MentoringSession.status.not_in(NON_BLOCKING_STATUSES),
               SessionAttendee.response.not_in(NOT_ATTENDING_RESPONSES),
               # SQL_OVERLAP_CONDITION: half-open intervals, back to back is no conflict.
               MentoringSession.starts_at < ends_at,
               MentoringSession.ends_at > starts_at)
        .options(joinedload(SessionAttendee.session))
        .order_by(MentoringSession.starts_at, SessionAttendee.id)
        .limit(1)
    )
    if exclude_session_id is not None:
        query = query.where(MentoringSession.id != exclude_session_id)
    clash = db.scalars(query).first()
    if clash is None:
        return
    if clash.staff_id is not None:
        staff_member = db.get(StaffMember, clash.staff_id)
        raise SessionConflict(STAFF_BUSY, clash.session, staff_id=clash.staff_id,
                              name=staff_member.display_name if staff_member else "")
    newcomer = db.get(Newcomer, clash.newcomer_id)
    raise SessionConflict(NEWCOMER_BUSY, clash.session, newcomer_id=clash.newcomer_id,
                          name=newcomer.display_name if newcomer else "")
