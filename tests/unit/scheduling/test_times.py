"""Local wall-clock times <-> UTC instants across DST changes, and wall-clock durations.

Dates are chosen where every tz database in use agrees (British Columbia stopped changing its
clocks after March 2026 in recent IANA releases, older system copies still change them).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from kit.scheduling import (
    SchedulingError,
    session_interval,
    to_local,
    to_utc,
    wall_clock_minutes,
    zone_info,
)
from kit.scheduling.times import add_months

TORONTO = "America/Toronto"
VANCOUVER = "America/Vancouver"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day"),
    [(TORONTO, date(2027, 3, 14)), (VANCOUVER, date(2026, 3, 8)), (TORONTO, date(2026, 3, 8))],
)
def test_a_time_the_clocks_skip_is_refused(zone: str, day: date) -> None:
    with pytest.raises(SchedulingError) as caught:
        to_utc(day, time(2, 30), zone)
    assert caught.value.code == "nonexistent_local_time"
    assert "02:30" in str(caught.value)


def test_a_time_that_happens_twice_means_the_first_by_default() -> None:
    first = to_utc(date(2027, 11, 7), time(1, 30), TORONTO)
    assert first == utc(2027, 11, 7, 5, 30)  # 01:30 EDT (UTC-4), before the clocks go back
    assert to_local(first, TORONTO).tzname() == "EDT"
    assert to_utc(date(2025, 11, 2), time(1, 30), VANCOUVER) == utc(2025, 11, 2, 8, 30)


def test_a_time_that_happens_twice_can_be_refused() -> None:
    with pytest.raises(SchedulingError) as caught:
        to_utc(date(2027, 11, 7), time(1, 30), TORONTO, ambiguous="refuse")
    assert caught.value.code == "ambiguous_local_time"
    # The hour after the change is unambiguous again.
    assert to_utc(date(2027, 11, 7), time(2, 30), TORONTO, ambiguous="refuse") == utc(
        2027, 11, 7, 7, 30
    )


@pytest.mark.parametrize(
    ("zone", "day", "start", "end"),
    [
        # Spring forward: 09:00 is already daylight time.
        (TORONTO, date(2027, 3, 14), utc(2027, 3, 14, 13), utc(2027, 3, 14, 15)),
        (VANCOUVER, date(2026, 3, 8), utc(2026, 3, 8, 16), utc(2026, 3, 8, 18)),
        # Fall back: 09:00 is standard time again.
        (TORONTO, date(2027, 11, 7), utc(2027, 11, 7, 14), utc(2027, 11, 7, 16)),
        (VANCOUVER, date(2025, 11, 2), utc(2025, 11, 2, 17), utc(2025, 11, 2, 19)),
        # The day before each change, for contrast.
        (TORONTO, date(2027, 3, 13), utc(2027, 3, 13, 14), utc(2027, 3, 13, 16)),
        (TORONTO, date(2027, 11, 6), utc(2027, 11, 6, 13), utc(2027, 11, 6, 15)),
    ],
)
def test_a_session_on_a_change_day_lands_on_the_right_instants(
    zone: str, day: date, start: datetime, end: datetime
) -> None:
    assert session_interval(day, time(9), 120, zone) == (start, end)
    assert to_local(start, zone).time() == time(9)
    assert to_local(end, zone).time() == time(11)


def test_durations_are_wall_clock_minutes_across_the_night_change() -> None:
    # 20:00 Saturday to 08:00 Sunday is 12 hours on the clock, 11 hours elapsed in spring.
    start, end = session_interval(date(2027, 3, 13), time(20), 12 * 60, TORONTO)
    assert to_local(end, TORONTO).replace(tzinfo=None) == datetime(2027, 3, 14, 8)
    assert end - start == timedelta(hours=11)
    assert wall_clock_minutes(start, end, TORONTO) == 12 * 60
    # ... and 13 hours elapsed in the fall.
    start, end = session_interval(date(2027, 11, 6), time(20), 12 * 60, TORONTO)
    assert end - start == timedelta(hours=13)
    assert wall_clock_minutes(start, end, TORONTO) == 12 * 60


def test_a_session_ending_in_the_gap_ends_after_its_elapsed_minutes() -> None:
    start, end = session_interval(date(2027, 3, 14), time(1), 90, TORONTO)
    assert end - start == timedelta(minutes=90)
    assert to_local(end, TORONTO).time() == time(3, 30)


def test_a_session_ending_in_the_repeated_hour_ends_after_it_starts() -> None:
    start, end = session_interval(date(2027, 11, 7), time(0, 30), 60, TORONTO)
    assert (start, end) == (utc(2027, 11, 7, 4, 30), utc(2027, 11, 7, 5, 30))
    start, end = session_interval(date(2027, 11, 7), time(1, 30), 60, TORONTO)
    assert to_local(end, TORONTO).time() == time(2, 30)
    assert end > start


def test_round_trip_to_the_wall_clock() -> None:
    instant = to_utc(date(2027, 7, 2), time(10, 15), TORONTO)
    assert instant == utc(2027, 7, 2, 14, 15)
    local = to_local(instant, TORONTO)
    assert (local.date(), local.time()) == (date(2027, 7, 2), time(10, 15))


def test_bad_input_is_refused_with_a_code() -> None:
    with pytest.raises(SchedulingError) as caught:
        zone_info("Pacific/Atlantis")
    assert caught.value.code == "unknown_time_zone"
    with pytest.raises(SchedulingError) as caught:
        zone_info("../../etc/passwd")
    assert caught.value.code == "unknown_time_zone"
    with pytest.raises(SchedulingError) as caught:
        to_local(datetime(2027, 1, 1, 9), TORONTO)
    assert caught.value.code == "naive_datetime"
    with pytest.raises(SchedulingError) as caught:
        session_interval(date(2027, 1, 4), time(9), 0, TORONTO)
    assert caught.value.code == "invalid_duration"


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2027, 10, 15), 4, date(2028, 2, 15)),
    (date(2027, 3, 31), -1, date(2027, 2, 28)),
    (date(2027, 5, 1), -8, date(2026, 9, 1)),
])
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected) -> None:
    assert add_months(day, months) == expected
