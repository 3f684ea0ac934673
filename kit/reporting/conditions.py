"""The SQL conditions the report filters become, and small helpers shared by the queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Float, Numeric, and_, cast, exists, func, select, true

from kit.models import MentoringSession, Referral, SessionType
from kit.reporting.filters import ReportFilters

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Page:
    """Which rows of a long table to show: ``number`` starts at 1."""

    number: int = 1
    size: int = 25

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (max(self.number, 1) - 1) * self.size


def pages_for(total: int, size: int) -> int:
    """How many pages ``total`` rows fill (at least one, so an empty table has a page)."""
    return max(1, -(-total // size))


def hours(value: Any) -> Decimal:
    """A sum of hours from either database as a Decimal with two places.

    SQLite sums NUMERIC columns as floating point (0.1 + 0.2 is 0.30000000000000004): rounding
    to the column's own two places gives both databases the same figure.
    """
    return Decimal(str(value or 0)).quantize(HUNDREDTH)


def as_float(column: Any) -> Any:
    """``column`` cast to a float in SQL: PostgreSQL's NUMERIC averages come back as floats
    like SQLite's, and no Decimal conversion warning is raised."""
    return cast(column, Float)


def rounded(column: Any, digits: int) -> Any:
    """``column`` rounded to ``digits`` places in SQL, as a float (PostgreSQL rounds only
    NUMERIC values to a number of places)."""
    return cast(func.round(cast(column, Numeric), digits), Float)


def percent(part: Any, whole: Any) -> Any:
    """``part`` as a percentage of ``whole`` in SQL, one decimal; NULL when ``whole`` is 0."""
    return rounded(part * 100.0 / func.nullif(whole, 0), 1)


def referred_by(agency_id: int, newcomer_id: Any) -> ColumnElement[bool]:
    """The newcomer was referred (submitted, not a draft) by this agency."""
    return exists().where(Referral.newcomer_id == newcomer_id, Referral.agency_id == agency_id,
                          Referral.status != "draft")


def had_session_of_type(code: str, match_id: Any) -> ColumnElement[bool]:
    """The match had at least one session of this type."""
    return exists().where(MentoringSession.match_id == match_id,
                          MentoringSession.session_type_id == select(SessionType.id)
                          .where(SessionType.code == code).scalar_subquery())


def noc_within(code_column: Any, prefix: str) -> ColumnElement[bool]:
    """The code lies within the NOC class ``prefix`` (a code at any level is a prefix)."""
    return code_column.like(prefix + "%") if len(prefix) < 5 else code_column == prefix


def between_days(column: Any, f: ReportFilters) -> ColumnElement[bool]:
    """A date column within the period (both ends included)."""
    conditions = []
    if f.date_from:
        conditions.append(column >= f.date_from)
    if f.date_to:
        conditions.append(column <= f.date_to)
    return and_(true(), *conditions)


def between_moments(column: Any, f: ReportFilters, timezone: str) -> ColumnElement[bool]:
    """A timestamp column within the period's days in the employer's time zone."""
    start, end = f.moments(timezone)
    conditions = []
    if start:
        conditions.append(column >= start)
    if end:
        conditions.append(column < end)
    return and_(true(), *conditions)


def match_conditions(f: ReportFilters, *, match: Any, newcomer: Any,
                     department: Any) -> list[ColumnElement[bool]]:
    """Cohort, department, occupation, agency and session-type filters for rows of a match.

    ``department`` is the mentor's department column and ``newcomer`` the newcomer table joined
    to the match: the occupation is the newcomer's target occupation.
    """
    conditions: list[ColumnElement[bool]] = []
    if f.cohort_id is not None:
        conditions.append(match.cohort_id == f.cohort_id)
    if f.department is not None:
        conditions.append(department == f.department)
    if f.noc is not None:
        conditions.append(noc_within(newcomer.target_noc_code, f.noc))
    if f.agency_id is not None:
        conditions.append(referred_by(f.agency_id, match.newcomer_id))
    if f.session_type is not None:
        conditions.append(had_session_of_type(f.session_type, match.id))
    return conditions


def days_between(later: Any, earlier: Any, dialect: str) -> Any:
    """Days from ``earlier`` to ``later`` (two dates) in SQL, for either database."""
    if dialect == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return later - earlier


def iso_date(value: date | datetime | None) -> str:
    """A date for a file or an API: ISO 8601, empty when missing."""
    return value.isoformat() if value else ""
