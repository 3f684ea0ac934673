"""Keep the monthly roll-up exact: every change to an hours entry moves its hours with it.

The ORM's flush events do it, in the transaction that changes the entry, for whoever writes
through the ORM: the hours and attendance services, the demo seed, tests that build a program.
A service cannot forget to call it, and a new way of writing entries needs nothing more.

- Before an entry changes or goes, its row is read back from the database (and locked on
  PostgreSQL): what the roll-up holds is what the database held, not what the object in
  memory remembered. After an entry is added or changed, its row is read again.
- The difference goes into ``kit_hours_month`` as an addition done by the database: entries
  added with ``INSERT ... ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite alike), other
  changes with ``UPDATE ... SET hours = hours + difference``. Additions commute, so two
  transactions changing hours of the same month at once both count, each waiting only for
  that row.
- Rows left without entries are deleted, so the table only holds months with hours.
- A session whose type changes, or that is deleted (its entries lose their session), and a
  deleted match (its entries lose their match) move their entries' hours to the new key.

What bypasses the unit of work is not seen: ``insert``, ``update`` or ``delete`` of
``HoursEntry`` run through a session are refused (below); SQL on ``kit_hours_entry`` itself
(a bulk load, Core statements on the table, a correction in ``psql``) must be followed by
``flask kit reports rebuild-rollup``. A roll-up found out of step raises
:class:`RollupOutOfStep` rather than count wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from kit.models.hours import HoursEntry
from kit.models.hours_month import COUNTED, KEY_COLUMNS, MEASURE_COLUMNS, HoursMonth, hundredths
from kit.models.matches import Match
from kit.models.sessions import MentoringSession

#: (staff_id, first day of the month, match_id or 0, session_type_id or 0)
Key = tuple[int, date, int, int]
Deltas = dict[Key, dict[str, int]]
#: One entry as the roll-up sees it: staff, day, match, session type, status, hours.
EntryRow = tuple[int, date, int | None, int | None, str, Decimal]

ENTRY = HoursEntry.__table__
SESSION = MentoringSession.__table__
ROLLUP = HoursMonth.__table__
#: What an entry contributes to the roll-up depends on these attributes only.
ENTRY_ATTRIBUTES = ("staff_id", "match_id", "session_id", "worked_on", "hours", "status",
                    "staff", "match", "session")
_OLD = "kit_rollup_old"
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def entry_rows(connection: Connection, condition: Any, *, lock: bool = False
               ) -> list[EntryRow]:
    """The entries that ``condition`` keeps, as the roll-up sees them (locked if asked)."""
    query = (select(ENTRY.c.staff_id, ENTRY.c.worked_on, ENTRY.c.match_id,
                    SESSION.c.session_type_id, ENTRY.c.status, ENTRY.c.hours)
             .select_from(ENTRY.outerjoin(SESSION, SESSION.c.id == ENTRY.c.session_id))
             .where(condition))
    if lock:
        # Nobody else may change these entries until we commit: the old values stay true.
        query = query.with_for_update(of=ENTRY)
    return [tuple(row) for row in connection.execute(query)]  # type: ignore[misc]


def add(deltas: Deltas, rows: Iterable[EntryRow], sign: int) -> Deltas:
    """Add (``sign`` 1) or take away (-1) the hours of ``rows``; rejected entries count 0."""
    for staff_id, worked_on, match_id, session_type_id, status, hours in rows:
        columns = COUNTED.get(status)
        if columns is None:
            continue
        key = (staff_id, worked_on.replace(day=1), match_id or 0, session_type_id or 0)
        delta = deltas.setdefault(key, dict.fromkeys(MEASURE_COLUMNS, 0))
        delta[columns[0]] += sign * hundredths(hours)
        delta[columns[1]] += sign
    return deltas


class RollupOutOfStep(RuntimeError):
    """The roll-up lacks hours that an entry being changed or deleted had given it."""


def apply(connection: Connection, deltas: Deltas) -> None:
    """Add ``deltas`` to the roll-up; drop the rows left without entries.

    Entries added go through one upsert. Any other change (hours taken away, or hours changed
    on an entry already counted) updates a row that must exist: the row an upsert proposes
    must pass the CHECK constraints by itself, before the database looks for the existing one.
    """
    changes = [(key, delta) for key, delta in sorted(deltas.items()) if any(delta.values())]
    additions = [(key, delta) for key, delta in changes if _whole_entries(delta)]
    if additions:
        insert = _INSERTS[connection.dialect.name](ROLLUP).values(
            [dict(zip(KEY_COLUMNS, key, strict=True), **delta) for key, delta in additions])
        connection.execute(insert.on_conflict_do_update(
            index_elements=list(KEY_COLUMNS),
            set_={column: ROLLUP.c[column] + insert.excluded[column]
                  for column in MEASURE_COLUMNS}))
    for key, delta in changes:
        if _whole_entries(delta):
            continue
        at_key = [ROLLUP.c[name] == value for name, value in zip(KEY_COLUMNS, key, strict=True)]
        left = connection.scalar(
            update(ROLLUP).where(*at_key)
            .values({column: ROLLUP.c[column] + delta[column] for column in MEASURE_COLUMNS})
            .returning(ROLLUP.c.confirmed_entries + ROLLUP.c.pending_entries))
        if left is None:
            raise RollupOutOfStep(
                f"kit_hours_month has no row for {key} to take hours from: it is out of step "
                "with the hours entries; run 'flask kit reports rebuild-rollup'")
        if left == 0:
            connection.execute(delete(ROLLUP).where(*at_key))


def _whole_entries(delta: dict[str, int]) -> bool:
    """Whether ``delta`` is entries added, a row that could stand alone in the roll-up."""
    return all(delta[entries] <= delta[hours] <= 2400 * delta[entries]
               for hours, entries in COUNTED.values())


def _replaced(rows: Sequence[EntryRow], index: int, value: int) -> list[EntryRow]:
    return [(*row[:index], value, *row[index + 1:]) for row in rows]  # type: ignore[misc]


def _changed(target: object, names: Iterable[str]) -> bool:
    attributes = inspect(target).attrs
    return any(attributes[name].history.has_changes() for name in names)


@event.listens_for(HoursEntry, "after_insert")
def _entry_added(_mapper: Mapper[Any], connection: Connection, target: HoursEntry) -> None:
    apply(connection, add({}, entry_rows(connection, ENTRY.c.id == target.id), 1))


@event.listens_for(HoursEntry, "before_update")
def _entry_changing(_mapper: Mapper[Any], connection: Connection, target: HoursEntry) -> None:
    info = inspect(target).info
    info.pop(_OLD, None)
    if _changed(target, ENTRY_ATTRIBUTES):
        info[_OLD] = entry_rows(connection, ENTRY.c.id == target.id, lock=True)


@event.listens_for(HoursEntry, "after_update")
def _entry_changed(_mapper: Mapper[Any], connection: Connection, target: HoursEntry) -> None:
    old = inspect(target).info.pop(_OLD, None)
    if old is not None:
        deltas = add({}, old, -1)
        apply(connection, add(deltas, entry_rows(connection, ENTRY.c.id == target.id), 1))


@event.listens_for(HoursEntry, "before_delete")
def _entry_deleted(_mapper: Mapper[Any], connection: Connection, target: HoursEntry) -> None:
    apply(connection, add({}, entry_rows(connection, ENTRY.c.id == target.id, lock=True), -1))


@event.listens_for(MentoringSession, "before_update")
def _session_changing(_mapper: Mapper[Any], connection: Connection,
                      target: MentoringSession) -> None:
    info = inspect(target).info
    info.pop(_OLD, None)
    if _changed(target, ("session_type_id", "session_type")):
        info[_OLD] = connection.scalar(
            select(SESSION.c.session_type_id).where(SESSION.c.id == target.id))


@event.listens_for(MentoringSession, "after_update")
def _session_changed(_mapper: Mapper[Any], connection: Connection,
                     target: MentoringSession) -> None:
    info = inspect(target).info
    if _OLD not in info:
        return
    old_type = info.pop(_OLD)
    rows = entry_rows(connection, ENTRY.c.session_id == target.id, lock=True)
    # The rows already carry the new type: take them away under the old one.
    apply(connection, add(add({}, _replaced(rows, 3, old_type), -1), rows, 1))


@event.listens_for(MentoringSession, "before_delete")
def _session_deleted(_mapper: Mapper[Any], connection: Connection,
                     target: MentoringSession) -> None:
    # The database sets the entries' session to NULL (ON DELETE SET NULL).
    rows = entry_rows(connection, ENTRY.c.session_id == target.id, lock=True)
    apply(connection, add(add({}, rows, -1), _replaced(rows, 3, 0), 1))


@event.listens_for(Match, "before_delete")
def _match_deleted(_mapper: Mapper[Any], connection: Connection, target: Match) -> None:
    # The database sets the entries' match to NULL (ON DELETE SET NULL).
    rows = entry_rows(connection, ENTRY.c.match_id == target.id, lock=True)
    apply(connection, add(add({}, rows, -1), _replaced(rows, 2, 0), 1))


class BulkHoursWriteError(RuntimeError):
    """Hours entries written by a bulk statement, which the roll-up would not see."""


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_writes(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and \
            state.bind_mapper is not None and state.bind_mapper.class_ is HoursEntry:
        raise BulkHoursWriteError(
            "hours entries are written one object at a time (db.add, attributes, db.delete) "
            "so that the monthly roll-up kit_hours_month follows them")
