"""The monthly roll-up of hours, recomputed from the entries: the repair, and its check.

The roll-up (``kit_hours_month``, :class:`~kit.models.HoursMonth`) follows every change to an
entry by itself (:mod:`kit.models.hours_tracking`). Only SQL that bypasses the ORM, such as a
bulk load or a hand-made correction in the database, leaves it behind; then
``flask kit reports rebuild-rollup`` runs :func:`rebuild`, and ``check-rollup`` runs
:func:`differences` for a monitoring job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, Select, case, delete, func, insert, literal_column, select, text
from sqlalchemy.orm import Session

from kit.models import HoursEntry, HoursMonth, MentoringSession
from kit.models.hours_month import (
    COUNTED,
    KEY_COLUMNS,
    MEASURE_COLUMNS,
    entry_hundredths,
    month_start,
)
from kit.models.hours_tracking import Key


def summed_entries() -> Select[Any]:
    """The roll-up's rows as a sum of the entries: one ``GROUP BY`` (the columns of
    :data:`KEY_COLUMNS` then :data:`MEASURE_COLUMNS`)."""
    month = month_start(HoursEntry.worked_on)
    # Literal zeros (not bound parameters) so that GROUP BY repeats the very same expression.
    match = func.coalesce(HoursEntry.match_id, literal_column("0"))
    session_type = func.coalesce(MentoringSession.session_type_id, literal_column("0"))

    def hours(status: str) -> Any:
        return func.coalesce(func.sum(case((HoursEntry.status == status,
                                            entry_hundredths(HoursEntry.hours)))),
                             literal_column("0"))

    def entries(status: str) -> Any:
        return func.count(case((HoursEntry.status == status, literal_column("1"))))

    return (select(HoursEntry.staff_id, month, match, session_type,
                   hours("confirmed"), entries("confirmed"), hours("pending"), entries("pending"))
            .select_from(HoursEntry)
            .outerjoin(MentoringSession, MentoringSession.id == HoursEntry.session_id)
            .where(HoursEntry.status.in_(tuple(COUNTED)))
            .group_by(HoursEntry.staff_id, month, match, session_type))


def fill_statement() -> Insert:
    """``INSERT INTO kit_hours_month SELECT ...`` from every entry, into an empty roll-up."""
    return insert(HoursMonth.__table__).from_select(
        [*KEY_COLUMNS, *MEASURE_COLUMNS], summed_entries())


def rebuild(db: Session) -> int:
    """Replace the roll-up by a fresh sum of the entries; returns its row count.

    Flushes; the caller commits. On PostgreSQL the roll-up is locked against writers first,
    so an entry changed meanwhile waits and then adds its change to the rebuilt sums.
    """
    db.flush()
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("LOCK TABLE kit_hours_month IN EXCLUSIVE MODE"))
    db.execute(delete(HoursMonth.__table__))
    db.execute(fill_statement())
    return db.scalar(select(func.count()).select_from(HoursMonth)) or 0


@dataclass(frozen=True)
class Difference:
    """One roll-up row that is not the sum of its entries (None: the row is missing).

    The values are :data:`~kit.models.hours_month.MEASURE_COLUMNS`: confirmed hundredths of an
    hour, confirmed entries, pending hundredths, pending entries.
    """

    key: Key
    stored: tuple[int, int, int, int] | None
    expected: tuple[int, int, int, int] | None


def _rows(db: Session, query: Select[Any]) -> dict[Key, tuple[int, int, int, int]]:
    return {tuple(row[:4]): tuple(int(value) for value in row[4:])  # type: ignore[misc]
            for row in db.execute(query)}


def differences(db: Session) -> list[Difference]:
    """Where the roll-up differs from the entries, in key order; empty when it is exact."""
    stored = _rows(db, select(*(HoursMonth.__table__.c[name]
                                for name in (*KEY_COLUMNS, *MEASURE_COLUMNS))))
    expected = _rows(db, summed_entries())
    return [Difference(key, stored.get(key), expected.get(key))
            for key in sorted(stored.keys() | expected.keys())
            if stored.get(key) != expected.get(key)]
