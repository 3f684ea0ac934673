"""The double-booking rule: half-open intervals, the same rule the database check uses."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime

import pytest

from kit.scheduling import SQL_OVERLAP_CONDITION, SchedulingError, find_conflicts, overlaps


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, 24, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((at(10), at(11)), (at(10, 30), at(11, 30)), True),  # partial overlap
        ((at(10, 30), at(11, 30)), (at(10), at(11)), True),  # the other way round
        ((at(9), at(17)), (at(12), at(13)), True),  # containment
        ((at(12), at(13)), (at(9), at(17)), True),  # contained
        ((at(10), at(11)), (at(10), at(11)), True),  # identical
        ((at(10), at(11)), (at(11), at(12)), False),  # back to back
        ((at(11), at(12)), (at(10), at(11)), False),  # back to back, other order
        ((at(10), at(11)), (at(13), at(14)), False),  # apart
        ((at(10), at(11)), (at(10, 59), at(12)), True),  # one minute is enough
    ],
)
def test_overlaps(a: tuple, b: tuple, expected: bool) -> None:
    assert overlaps(*a, *b) is expected


def test_find_conflicts_lists_the_overlapping_sessions_earliest_first() -> None:
    existing = [
        (7, at(13), at(14)),  # after
        (3, at(11), at(12)),  # back to back after
        (5, at(10, 30), at(10, 45)),  # inside
        (2, at(9), at(10)),  # back to back before
        (9, at(8), at(17)),  # all day
    ]
    assert find_conflicts((at(10), at(11)), existing) == [9, 5]
    assert find_conflicts((at(11), at(13)), existing) == [9, 3]
    assert find_conflicts((at(18), at(19)), existing) == []


def test_a_moved_session_does_not_conflict_with_itself() -> None:
    existing = [("s1", at(10), at(11)), ("s2", at(11), at(12))]
    assert find_conflicts((at(10, 30), at(11, 30)), existing, exclude="s1") == ["s2"]


def test_an_interval_that_does_not_move_forward_is_refused() -> None:
    with pytest.raises(SchedulingError) as caught:
        find_conflicts((at(11), at(10)), [])
    assert caught.value.code == "invalid_interval"
    with pytest.raises(SchedulingError):
        overlaps(at(10), at(10), at(9), at(11))


def test_the_sql_condition_finds_the_same_sessions() -> None:
    existing = [
        (1, at(9), at(10)),
        (2, at(9, 30), at(10, 30)),
        (3, at(10), at(11)),
        (4, at(10, 15), at(10, 45)),
        (5, at(8), at(17)),
        (6, at(11), at(12)),
    ]
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute("CREATE TABLE existing (id INTEGER, starts_at TEXT, ends_at TEXT)")
        db.executemany(
            "INSERT INTO existing VALUES (?, ?, ?)",
            [(key, start.isoformat(), end.isoformat()) for key, start, end in existing],
        )
        news = [(at(10), at(11)), (at(11), at(11, 30)), (at(7), at(8)), (at(10, 30), at(10, 31))]
        for new in news:
            rows = db.execute(
                f"SELECT id FROM existing WHERE {SQL_OVERLAP_CONDITION}",  # noqa: S608 - a constant
                {"new_starts_at": new[0].isoformat(), "new_ends_at": new[1].isoformat()},
            )
            assert sorted(key for (key,) in rows) == sorted(find_conflicts(new, existing))
