"""Where the hours reports read: the monthly roll-up for whole months, entries for the rest.

A period's whole months come from ``kit_hours_month`` (a few rows per person and month);
the days of a month the period only partly covers come from ``kit_hours_entry``, so a period
from the 10th to the 20th counts exactly those days. Both parts apply the same filters and
give the same columns (hours in integer hundredths, as the roll-up keeps them), so that one
``UNION ALL`` feeds every hours figure in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, literal, or_, select, union_all

from kit.models import (
    HoursEntry,
    HoursMonth,
    Match,
    MentoringSession,
    SessionType,
    StaffMember,
    VolunteerProfile,
)
from kit.models.hours_month import entry_hundredths
from kit.reporting.conditions import noc_within, referred_by
from kit.reporting.filters import ReportFilters


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class PeriodParts:
    """A period cut into whole months and the days around them.

    ``months`` is ``(first month, month after the last)``, either end None when the period
    has none, or ``months`` is None when no whole month lies in the period; ``days`` are the
    remaining day ranges, both ends included.
    """

    months: tuple[date | None, date | None] | None
    days: tuple[tuple[date | None, date | None], ...]


def period_parts(date_from: date | None, date_to: date | None) -> PeriodParts:
    """Cut the period ``date_from``..``date_to`` (both included, None: open) in parts."""
    first = None if date_from is None else (
        date_from if date_from.day == 1 else _next_month(date_from))
    after = None if date_to is None else (
        date_to + timedelta(days=1) if (date_to + timedelta(days=1)).day == 1
        else date_to.replace(day=1))
    if first is not None and after is not None and first >= after:
        return PeriodParts(None, ((date_from, date_to),))
    days = []
    if date_from is not None and first is not None and date_from < first:
        days.append((date_from, first - timedelta(days=1)))
    if date_to is not None and after is not None and after <= date_to:
        days.append((after, date_to))
    return PeriodParts((first, after), tuple(days))


def _from_rollup(f: ReportFilters, first: date | None, after: date | None
                 ) -> Select[tuple[Any, ...]]:
    query = select(HoursMonth.staff_id.label("staff_id"),
                   HoursMonth.confirmed_hundredths.label("confirmed"),
                   HoursMonth.pending_hundredths.label("pending"),
                   (HoursMonth.confirmed_entries + HoursMonth.pending_entries).label("entries"))
    if first is not None:
        query = query.where(HoursMonth.month >= first)
    if after is not None:
        query = query.where(HoursMonth.month < after)
    query = _people(query, f, HoursMonth.staff_id)
    if f.cohort_id is not None or f.agency_id is not None:
        query = _matches(query.join(Match, Match.id == HoursMonth.match_id), f)
    if f.session_type is not None:
        query = query.join(SessionType, SessionType.id == HoursMonth.session_type_id).where(
            SessionType.code == f.session_type)
    return query


def _from_entries(f: ReportFilters, days: tuple[tuple[date | None, date | None], ...]
                  ) -> Select[tuple[Any, ...]]:
    def within(start: date | None, end: date | None) -> Any:
        return and_(*([HoursEntry.worked_on >= start] if start else []),
                    *([HoursEntry.worked_on <= end] if end else []))

    hundredths = entry_hundredths(HoursEntry.hours)
    query = (select(HoursEntry.staff_id.label("staff_id"),
                    case((HoursEntry.status == "confirmed", hundredths), else_=0)
                    .label("confirmed"),
                    case((HoursEntry.status == "pending", hundredths), else_=0).label("pending"),
                    literal(1).label("entries"))
             .where(HoursEntry.status != "rejected", or_(*(within(*d) for d in days))))
    query = _people(query, f, HoursEntry.staff_id)
    if f.cohort_id is not None or f.agency_id is not None:
        query = _matches(query.join(Match, Match.id == HoursEntry.match_id), f)
    if f.session_type is not None:
        query = (query.join(MentoringSession, MentoringSession.id == HoursEntry.session_id)
                 .join(SessionType, SessionType.id == MentoringSession.session_type_id)
                 .where(SessionType.code == f.session_type))
    return query


def _people(query: Select[tuple[Any, ...]], f: ReportFilters, staff_id: Any
            ) -> Select[tuple[Any, ...]]:
    if f.department is not None:
        query = query.join(StaffMember, StaffMember.id == staff_id).where(
            StaffMember.department == f.department)
    if f.noc is not None:
        # For hours the occupation is the mentor's own profession (their volunteer profile).
        query = query.join(VolunteerProfile, VolunteerProfile.staff_id == staff_id).where(
            noc_within(VolunteerProfile.noc_code, f.noc))
    return query


def _matches(query: Select[tuple[Any, ...]], f: ReportFilters) -> Select[tuple[Any, ...]]:
    if f.cohort_id is not None:
        query = query.where(Match.cohort_id == f.cohort_id)
    if f.agency_id is not None:
        query = query.where(referred_by(f.agency_id, Match.newcomer_id))
    return query


def hours_rows(f: ReportFilters) -> Any:
    """A subquery of hours the filters keep (``staff_id``, ``confirmed`` and ``pending`` in
    hundredths of an hour, ``entries``), several rows per staff member: roll-up rows, and
    entries of the months the period covers in part."""
    parts = period_parts(f.date_from, f.date_to)
    selects = []
    if parts.months is not None:
        selects.append(_from_rollup(f, *parts.months))
    if parts.days:
        selects.append(_from_entries(f, parts.days))
    query = selects[0] if len(selects) == 1 else union_all(*selects)
    return query.subquery("hours_rows")
