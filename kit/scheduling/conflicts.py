"""The double-booking rule: two sessions conflict when their half-open intervals overlap.

A session occupies ``[starts_at, ends_at)``: it includes its first minute, not its end. So a
meeting from 10:00 to 11:00 and a tour from 11:00 to 12:00 are back to back, not in conflict.

The database check that guards concurrent requests mirrors this function exactly, with
``SQL_OVERLAP_CONDITION`` (in PostgreSQL, the same as ``tstzrange(starts_at, ends_at, '[)') &&``).
Only sessions that still take up time count: a cancelled session blocks nobody.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import datetime
from typing import TypeVar

from kit.scheduling.errors import SchedulingError

K = TypeVar("K", bound=Hashable)

#: The same rule in SQL, for the query that looks for a person's conflicting sessions.
SQL_OVERLAP_CONDITION = "existing.starts_at < :new_ends_at AND :new_starts_at < existing.ends_at"
#: Session statuses that free the time they held.
NON_BLOCKING_STATUSES = ("cancelled",)


def _check(start: datetime, end: datetime) -> None:
    if not start < end:
        raise SchedulingError("invalid_interval", "a session must end after it starts")


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether ``[a_start, a_end)`` and ``[b_start, b_end)`` share at least one instant."""
    _check(a_start, a_end)
    _check(b_start, b_end)
    return a_start < b_end and b_start < a_end


def find_conflicts(
    new: tuple[datetime, datetime],
    existing: Iterable[tuple[K, datetime, datetime]],
    *,
    exclude: K | None = None,
) -> list[K]:
    """Ids of the ``existing`` ``(id, start, end)`` sessions that overlap ``new``, earliest first.

    ``exclude`` is the id of the session being moved, so that it does not conflict with itself.
    """
    new_start, new_end = new
    _check(new_start, new_end)
    hits = [
        (start, key)
        for key, start, end in existing
        if key != exclude and overlaps(new_start, new_end, start, end)
    ]
    hits.sort(key=lambda hit: hit[0])
    return [key for _start, key in hits]
