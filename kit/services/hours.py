"""Volunteer hours: logged by hand, changed with their history kept, confirmed or rejected.

Entries from attended sessions are created by the scheduling service (category "session");
everything else about hours lives here. The rules a person notices:

- no entry in the future, and more than nothing (hours > 0);
- no more than 24 hours on one day for one person, summed over all their entries (rejected ones
  aside). The staff member's row is locked first so that two requests at once cannot pass the
  limit together;
- an entry changed keeps its earlier values (:class:`HoursRevision`, who and when);
- the newcomer of the entry's match (through their link) or a coordinator confirms or rejects it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.models import HoursEntry, HoursRevision, Match, StaffMember, VolunteerProfile
from kit.models.base import utcnow
from kit.services.audit import Actor, record
from kit.services.errors import FieldError

#: Categories a mentor may log by hand ("session" entries come from attended sessions).
MANUAL_CATEGORIES = ("preparation", "correspondence", "event", "other")
CATEGORY_LABELS = {
    "session": _l("Session"),
    "preparation": _l("Preparation"),
    "correspondence": _l("E-mail or phone"),
    "event": _l("Event"),
    "other": _l("Other"),
}
STATUS_LABELS = {
    "pending": _l("Awaiting confirmation"),
    "confirmed": _l("Confirmed"),
    "rejected": _l("Rejected"),
}
DAY_LIMIT = Decimal("24")
#: Statuses an entry may still be changed in; a confirmed entry is settled.
EDITABLE_STATUSES = ("pending", "rejected")
#: Matches whose hours count toward a mentor's target.
COUNTED_MATCH_STATUSES = ("active", "closed")


class HoursError(FieldError):
    """An entry or decision the rules refuse; ``field`` names the form field to blame."""


@dataclass(frozen=True)
class HoursInput:
    """What a mentor types for one entry."""

    worked_on: date
    hours: Decimal
    category: str
    note: str | None = None
    match_id: int | None = None


@dataclass(frozen=True)
class MatchProgress:
    """A mentor's confirmed hours on one match against its target."""

    match_id: int
    newcomer_name: str
    confirmed: Decimal
    target: Decimal | None
    completed: bool = False  # closed as completed: a certificate is available


@dataclass(frozen=True)
class HoursTotals:
    """A mentor's hours: confirmed, awaiting confirmation, and the target of their matches."""

    confirmed: Decimal
    pending: Decimal
    target: Decimal
    matches: list[MatchProgress]

    @property
    def percent(self) -> int:
        """Share of the target confirmed, 0 to 100."""
        return min(100, int(self.confirmed * 100 / self.target)) if self.target else 0


def _check(data: HoursInput, today: date) -> None:
    if data.worked_on > today:
        raise HoursError("future", _("Hours cannot be logged for a day that has not come "
                                          "yet."), "worked_on")
    if data.hours <= 0:
        raise HoursError("not_positive", _("Enter more than 0 hours."), "hours")
    if data.hours > DAY_LIMIT:
        raise HoursError("day_limit", _("A day has no more than 24 hours."), "hours")
    if data.category not in MANUAL_CATEGORIES:
        raise HoursError("category", _("Choose a category."), "category")


def _check_match(db: Session, staff_id: int, match_id: int | None) -> None:
    if match_id is None:
        return
    owner = db.scalar(select(VolunteerProfile.staff_id).join(
        Match, Match.volunteer_id == VolunteerProfile.id).where(Match.id == match_id))
    if owner != staff_id:
        raise HoursError("match", _("Choose one of your matches."), "match_id")


def _check_day(db: Session, staff_id: int, worked_on: date, hours: Decimal,
               except_id: int | None = None) -> None:
    # The lock serializes every change to this person's hours: two requests cannot both read
    # 20 hours and each add 4 (PostgreSQL; SQLite serializes writers by itself).
    db.execute(select(StaffMember.id).where(StaffMember.id == staff_id).with_for_update())
    query = select(func.coalesce(func.sum(HoursEntry.hours), 0)).where(
        HoursEntry.staff_id == staff_id, HoursEntry.worked_on == worked_on,
        HoursEntry.status != "rejected")
    if except_id is not None:
        query = query.where(HoursEntry.id != except_id)
    already = Decimal(db.scalar(query) or 0)
    if already + hours > DAY_LIMIT:
        left = max(DAY_LIMIT - already, Decimal(0))
        raise HoursError("day_limit", _(
            "With your other entries of that day this makes more than 24 hours; at most "
            "%(left)s hours are left on that day.", left=f"{left.normalize():f}"), "hours")


def add_entry(db: Session, actor: Actor, staff_id: int, data: HoursInput,
              today: date | None = None) -> HoursEntry:
    """Log hours by hand for ``staff_id``; flushes, the caller commits. Raises HoursError."""
    _check(data, today or date.today())
    _check_match(db, staff_id, data.match_id)
    _check_day(db, staff_id, data.worked_on, data.hours)
    entry = HoursEntry(staff_id=staff_id, match_id=data.match_id, worked_on=data.worked_on,
                       hours=data.hours, category=data.category, note=data.note or None,
                       status="pending")
    db.add(entry)
    db.flush()
    record(db, actor, "hours.added", "hours_entry", entry.id,
           {"hours": str(data.hours), "worked_on": data.worked_on.isoformat()})
    return entry


def own_entry(db: Session, staff_id: int, entry_id: int) -> HoursEntry | None:
    """The entry when it is ``staff_id``'s, with its history; None otherwise."""
    return db.scalar(select(HoursEntry).options(joinedload(HoursEntry.revisions))
                     .where(HoursEntry.id == entry_id, HoursEntry.staff_id == staff_id))


def edit_entry(db: Session, actor: Actor, staff_id: int, entry_id: int, data: HoursInput,
               today: date | None = None) -> HoursEntry:
    """Change an entry, keeping its earlier values; a rejected one awaits confirmation again."""
    entry = own_entry(db, staff_id, entry_id)
    if entry is None:
        raise HoursError("not_found")
    if entry.status not in EDITABLE_STATUSES or entry.category == "session":
        raise HoursError("settled", _("This entry is confirmed or comes from a session; "
                                           "it can no longer be changed."))
    _check(data, today or date.today())
    _check_match(db, staff_id, data.match_id)
    _check_day(db, staff_id, data.worked_on, data.hours, except_id=entry.id)
    entry.revisions.append(HoursRevision(
        hours=entry.hours, worked_on=entry.worked_on, category=entry.category, note=entry.note,
        changed_at=utcnow(), actor_kind=actor.kind,
        actor_id=None if actor.id is None else str(actor.id)))
    entry.worked_on, entry.hours, entry.category = data.worked_on, data.hours, data.category
    entry.note, entry.match_id = data.note or None, data.match_id
    entry.status, entry.rejection_reason = "pending", None
    entry.confirmed_at = entry.confirmed_by_kind = entry.confirmed_by_id = None
    db.flush()
    record(db, actor, "hours.changed", "hours_entry", entry.id,
           {"hours": str(data.hours), "worked_on": data.worked_on.isoformat()})
    return entry


def _decide(db: Session, actor: Actor, entry_id: int, newcomer_id: int | None, *,
            confirm: bool, reason: str | None) -> HoursEntry:
    query = select(HoursEntry).where(HoursEntry.id == entry_id).with_for_update(of=HoursEntry)
    if newcomer_id is not None:
        # A newcomer decides only on the hours of their own mentor's matches with them.
        query = query.join(Match, Match.id == HoursEntry.match_id).where(
            Match.newcomer_id == newcomer_id)
    entry = db.scalar(query)
    if entry is None:
        raise HoursError("not_found")
    if entry.status != "pending":
        raise HoursError("decided", _("This entry was already confirmed or rejected."))
    if not confirm and not (reason or "").strip():
        raise HoursError("reason", _("Say why these hours are not right."), "reason")
    entry.status = "confirmed" if confirm else "rejected"
    entry.rejection_reason = None if confirm else reason.strip()  # type: ignore[union-attr]
    entry.confirmed_at, entry.confirmed_by_kind, entry.confirmed_by_id = (
        utcnow(), actor.kind, actor.id)
    db.flush()
    record(db, actor, "hours.confirmed" if confirm else "hours.rejected", "hours_entry",
           entry.id, None if confirm else {"reason": entry.rejection_reason})
    return entry


def confirm_entry(db: Session, actor: Actor, entry_id: int, *,
                  newcomer_id: int | None = None) -> HoursEntry:
    """Confirm a pending entry; with ``newcomer_id``, only an entry of that newcomer's match."""
    return _decide(db, actor, entry_id, newcomer_id, confirm=True, reason=None)


def reject_entry(db: Session, actor: Actor, entry_id: int, reason: str, *,
                 newcomer_id: int | None = None) -> HoursEntry:
    """Reject a pending entry with a reason; the mentor may correct it and it is pending again."""
    return _decide(db, actor, entry_id, newcomer_id, confirm=False, reason=reason)


def _pages(total: int, page: int, page_size: int) -> tuple[int, int]:
    pages = max(1, -(-total // page_size))
    return min(max(page, 1), pages), pages


def list_entries(db: Session, staff_id: int, page: int, page_size: int
                 ) -> tuple[list[HoursEntry], int]:
    """A mentor's entries, newest day first, with their match's newcomer; (rows, pages)."""
    total = db.scalar(select(func.count()).select_from(HoursEntry)
                      .where(HoursEntry.staff_id == staff_id)) or 0
    page, pages = _pages(total, page, page_size)
    rows = db.scalars(
        select(HoursEntry).options(joinedload(HoursEntry.match).joinedload(Match.newcomer))
        .where(HoursEntry.staff_id == staff_id)
        .order_by(HoursEntry.worked_on.desc(), HoursEntry.id.desc())
        .limit(page_size).offset((page - 1) * page_size)).all()
    return list(rows), pages


def mentor_matches(db: Session, staff_id: int) -> list[Match]:
    """The mentor's matches that hours can be logged against (accepted, active or closed)."""
    return list(db.scalars(
        select(Match).options(joinedload(Match.newcomer))
        .join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
        .where(VolunteerProfile.staff_id == staff_id,
               Match.status.in_(("mentor_accepted", *COUNTED_MATCH_STATUSES)))
        .order_by(Match.id.desc())))


def totals(db: Session, staff_id: int, default_target: Decimal | None = None) -> HoursTotals:
    """The mentor's confirmed and pending hours, and progress against their matches' targets.

    A match without a target of its own counts ``default_target`` (the program's default).
    """
    confirmed, pending = db.execute(select(
        func.coalesce(func.sum(case((HoursEntry.status == "confirmed", HoursEntry.hours))), 0),
        func.coalesce(func.sum(case((HoursEntry.status == "pending", HoursEntry.hours))), 0),
    ).where(HoursEntry.staff_id == staff_id)).one()
    per_match = (select(HoursEntry.match_id, func.sum(HoursEntry.hours).label("hours"))
                 .where(HoursEntry.staff_id == staff_id, HoursEntry.status == "confirmed")
                 .group_by(HoursEntry.match_id).subquery())
    rows = db.execute(
        select(Match, func.coalesce(per_match.c.hours, 0))
        .options(joinedload(Match.newcomer))
        .join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
        .outerjoin(per_match, per_match.c.match_id == Match.id)
        .where(VolunteerProfile.staff_id == staff_id,
               Match.status.in_(COUNTED_MATCH_STATUSES))
        .order_by(Match.started_on.desc(), Match.id.desc())).all()
    matches = [MatchProgress(m.id, m.newcomer.display_name, Decimal(h),
                             m.target_hours or default_target,
                             m.status == "closed" and m.close_reason == "completed")
               for m, h in rows]
    target = sum((m.target or Decimal(0) for m in matches), Decimal(0))
    return HoursTotals(Decimal(confirmed), Decimal(pending), target, matches)


def pending_for_newcomer(db: Session, newcomer_id: int) -> list[HoursEntry]:
    """Hours of the newcomer's mentors on their matches, awaiting the newcomer's confirmation."""
    return list(db.scalars(
        select(HoursEntry).options(joinedload(HoursEntry.staff))
        .join(Match, Match.id == HoursEntry.match_id)
        .where(Match.newcomer_id == newcomer_id, HoursEntry.status == "pending")
        .order_by(HoursEntry.worked_on, HoursEntry.id)))


def recent_for_newcomer(db: Session, newcomer_id: int, limit: int = 20) -> list[HoursEntry]:
    """The newcomer's matches' latest confirmed or rejected entries."""
    return list(db.scalars(
        select(HoursEntry).options(joinedload(HoursEntry.staff))
        .join(Match, Match.id == HoursEntry.match_id)
        .where(Match.newcomer_id == newcomer_id, HoursEntry.status != "pending")
        .order_by(HoursEntry.worked_on.desc(), HoursEntry.id.desc()).limit(limit)))


def pending_entries(db: Session, page: int, page_size: int) -> tuple[list[HoursEntry], int]:
    """Every entry awaiting confirmation, oldest first, for the coordinator; (rows, pages)."""
    total = db.scalar(select(func.count()).select_from(HoursEntry)
                      .where(HoursEntry.status == "pending")) or 0
    page, pages = _pages(total, page, page_size)
    rows = db.scalars(
        select(HoursEntry)
        .options(joinedload(HoursEntry.staff),
                 joinedload(HoursEntry.match).joinedload(Match.newcomer))
        .where(HoursEntry.status == "pending")
        .order_by(HoursEntry.worked_on, HoursEntry.id)
        .limit(page_size).offset((page - 1) * page_size)).all()
    return list(rows), pages
