"""Business hours, weekends and the default holidays turn into warnings, never refusals."""

from __future__ import annotations

from datetime import date, time

import pytest

from kit.scheduling import (
    BusinessHours,
    bc_holidays,
    check_business_hours,
    easter_sunday,
    holiday_dates,
    session_interval,
)

TORONTO = "America/Toronto"
VANCOUVER = "America/Vancouver"


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_follows_the_gregorian_computus(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_bc_holidays_of_2027() -> None:
    assert bc_holidays(2027) == {
        date(2027, 1, 1): "new_years_day",
        date(2027, 2, 15): "family_day",
        date(2027, 3, 26): "good_friday",
        date(2027, 5, 24): "victoria_day",
        date(2027, 7, 1): "canada_day",
        date(2027, 8, 2): "bc_day",
        date(2027, 9, 6): "labour_day",
        date(2027, 9, 30): "truth_and_reconciliation_day",
        date(2027, 10, 11): "thanksgiving",
        date(2027, 11, 11): "remembrance_day",
        date(2027, 12, 25): "christmas_day",
        date(2027, 12, 26): "boxing_day",
    }


def test_victoria_day_is_the_monday_before_may_25() -> None:
    # In 2026 May 25 is itself a Monday: Victoria Day is the Monday before.
    assert {code: day for day, code in bc_holidays(2026).items()}["victoria_day"] == date(
        2026, 5, 18
    )
    assert {code: day for day, code in bc_holidays(2028).items()}["victoria_day"] == date(
        2028, 5, 22
    )


def test_holiday_dates_spans_several_years() -> None:
    days = holiday_dates([2027, 2028])
    assert len(days) == 24
    assert date(2028, 4, 14) in days  # Good Friday 2028


def warnings(day: date, at: time, minutes: int, zone: str = VANCOUVER, **kwargs: object) -> list:
    start, end = session_interval(day, at, minutes, zone)
    return check_business_hours(start, end, zone, **kwargs)


def test_a_weekday_session_within_hours_has_no_warning() -> None:
    assert warnings(date(2027, 3, 24), time(8, 30), 480) == []  # Wednesday, 08:30-16:30
    assert warnings(date(2027, 3, 24), time(15, 30), 60) == []  # ends exactly at closing


def test_a_session_outside_hours_is_flagged() -> None:
    assert warnings(date(2027, 3, 24), time(8), 60) == ["outside_business_hours"]
    assert warnings(date(2027, 3, 24), time(16), 60) == ["outside_business_hours"]
    assert warnings(date(2027, 3, 24), time(23), 120) == ["outside_business_hours"]


def test_a_weekend_session_is_flagged() -> None:
    assert warnings(date(2027, 3, 27), time(10), 60) == ["outside_business_hours", "weekend"]


def test_a_holiday_session_is_flagged() -> None:
    holidays = holiday_dates([2027])
    assert warnings(date(2027, 3, 26), time(10), 60, holidays=holidays) == ["on_holiday"]
    assert warnings(date(2027, 10, 11), time(10), 60, holidays=holidays) == ["on_holiday"]
    assert warnings(date(2027, 3, 25), time(10), 60, holidays=holidays) == []
    # Boxing Day 2027 is a Sunday: every warning at once.
    assert warnings(date(2027, 12, 26), time(10), 60, holidays=holidays) == [
        "outside_business_hours",
        "weekend",
        "on_holiday",
    ]


def test_hours_are_judged_on_the_employers_wall_clock_on_dst_days() -> None:
    # Monday after the spring change: 08:30 local is 12:30 UTC, not 13:30.
    assert warnings(date(2027, 3, 15), time(8, 30), 60, TORONTO) == []
    assert warnings(date(2027, 3, 15), time(8), 60, TORONTO) == ["outside_business_hours"]


def test_an_employer_sets_its_own_hours() -> None:
    saturday_too = BusinessHours.weekdays(time(7), time(19), days=range(6))
    assert warnings(date(2027, 3, 27), time(18), 60, hours=saturday_too) == ["weekend"]
    assert warnings(date(2027, 3, 28), time(10), 60, hours=saturday_too) == [
        "outside_business_hours",
        "weekend",
    ]
    with pytest.raises(ValueError, match="close after"):
        BusinessHours.weekdays(time(17), time(9))
    with pytest.raises(ValueError, match="one entry per weekday"):
        BusinessHours(((time(9), time(17)),))
