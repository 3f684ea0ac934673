"""The monthly roll-up of volunteer hours: what the hours reports add up instead of every entry.

One row holds the hours entries (pending and confirmed; rejected ones count nowhere) of one
staff member in one month, on one match, from sessions of one type. That is every dimension a
hours report filters or groups on: the department and the occupation come from the staff
member, the cohort and the agency from the match, all joined when the report runs. The
benchmark's program (bench/seed.py) sums its 1,000,000 entries into 146,664 rows.

Hours are kept in hundredths (1.25 hours is 125), as integers: they add up exactly on SQLite
too (whose NUMERIC is floating point), and PostgreSQL sums integers twice as fast as NUMERIC.

:mod:`kit.models.hours_tracking` keeps the table exact in the transaction of every change to
an entry; ``flask kit reports rebuild-rollup`` recomputes it from the entries.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, cast, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.functions import FunctionElement

from kit.models.base import Base

#: The columns that identify a row; 0 stands for "no match" and "no session" (a NULL would
#: never meet another NULL in the unique key, and ON CONFLICT could not find the row).
KEY_COLUMNS = ("staff_id", "month", "match_id", "session_type_id")
MEASURE_COLUMNS = ("confirmed_hundredths", "confirmed_entries", "pending_hundredths",
                   "pending_entries")
#: Statuses counted, each with its hours (in hundredths) and entries columns.
COUNTED = {"confirmed": ("confirmed_hundredths", "confirmed_entries"),
           "pending": ("pending_hundredths", "pending_entries")}


def _hours_check(status: str) -> CheckConstraint:
    # Every entry holds from 0.01 to 24 hours: a sum outside this range means the roll-up lost
    # step with the entries (docs/reports.md says how to rebuild it).
    return CheckConstraint(f"{status}_hundredths BETWEEN {status}_entries "
                           f"AND 2400 * {status}_entries", name=f"{status}_hours")


class HoursMonth(Base):
    """The pending and confirmed hours of one staff member, month, match and session type."""

    __tablename__ = "kit_hours_month"
    __table_args__ = (
        CheckConstraint("match_id >= 0 AND session_type_id >= 0", name="keys"),
        CheckConstraint("confirmed_entries >= 0 AND pending_entries >= 0", name="entries"),
        _hours_check("confirmed"),
        _hours_check("pending"),
        CheckConstraint("EXTRACT(DAY FROM month) = 1", name="first_day"
                        ).ddl_if(dialect="postgresql"),
        CheckConstraint("strftime('%d', month) = '01'", name="first_day"
                        ).ddl_if(dialect="sqlite"),
    )

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="CASCADE"), primary_key=True
    )
    #: The first day of the month.
    month: Mapped[date] = mapped_column(primary_key=True)
    #: The entries' match, 0 for entries without one.
    match_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: The type of the entries' session, 0 for entries logged by hand.
    session_type_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: Confirmed hours in hundredths of an hour, and how many entries gave them.
    confirmed_hundredths: Mapped[int] = mapped_column(default=0)
    confirmed_entries: Mapped[int] = mapped_column(default=0)
    #: Hours awaiting confirmation, in hundredths of an hour, and their entries.
    pending_hundredths: Mapped[int] = mapped_column(default=0)
    pending_entries: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return (f"<HoursMonth {self.staff_id} {self.month:%Y-%m} match {self.match_id} "
                f"type {self.session_type_id}: {hours_of(self.confirmed_hundredths)}h confirmed>")


def hundredths(hours: Decimal | str | float) -> int:
    """Hours (two places at most) as hundredths of an hour: ``Decimal("1.25")`` is 125."""
    return int((Decimal(str(hours)) * 100).to_integral_value())


def entry_hundredths(column: Any) -> Any:
    """SQL: an entry's hours as hundredths, an integer (SQLite's 0.29 * 100 is 28.999...)."""
    return cast(func.round(column * 100), Integer)


def hours_of(value: int | None) -> Decimal:
    """Hundredths of an hour as hours with two places: 125 is ``Decimal("1.25")``."""
    return Decimal(int(value or 0)).scaleb(-2)


class month_start(FunctionElement[date]):
    """SQL: the first day of the month of a date column, on PostgreSQL and SQLite."""

    type = Date()
    inherit_cache = True
    name = "month_start"


@compiles(month_start, "postgresql")
def _month_start_postgresql(element: month_start, compiler: Any, **kw: Any) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element: month_start, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_start)
def _month_start_other(element: month_start, compiler: Any, **kw: Any) -> str:
    # Shown when a statement is printed; the kit runs on PostgreSQL and SQLite only.
    return f"month_start({compiler.process(element.clauses, **kw)})"
