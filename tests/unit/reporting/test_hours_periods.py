"""A report period cut into whole months (read from the roll-up) and the days around them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kit.reporting.hours_source import PeriodParts, period_parts

#: Days around two month ends, a year end and a leap day.
WINDOW = [date(2027, 12, 25) + timedelta(days=n) for n in range(75)]
FAR = (date(2000, 1, 1), date(2100, 12, 31))


def days_of(parts: PeriodParts) -> list[date]:
    """Every day the parts cover, once per part that covers it (within FAR)."""
    covered = []
    if parts.months is not None:
        first, after = parts.months
        assert first is None or first.day == 1
        assert after is None or after.day == 1
        day = first or FAR[0]
        while day < (after or FAR[1] + timedelta(days=1)):
            covered.append(day)
            day += timedelta(days=1)
    for start, end in parts.days:
        assert start is None or end is None or start <= end
        day = start or FAR[0]
        while day <= (end or FAR[1]):
            covered.append(day)
            day += timedelta(days=1)
    return covered


def span(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_every_day_of_any_period_is_counted_exactly_once():
    for i, start in enumerate(WINDOW):
        for end in WINDOW[i:]:
            assert sorted(days_of(period_parts(start, end))) == span(start, end), (start, end)


@pytest.mark.parametrize(("date_from", "date_to", "months", "days"), [
    (None, None, (None, None), ()),
    (date(2028, 1, 1), date(2028, 12, 31), (date(2028, 1, 1), date(2029, 1, 1)), ()),
    (date(2028, 1, 10), date(2028, 3, 20), (date(2028, 2, 1), date(2028, 3, 1)),
     ((date(2028, 1, 10), date(2028, 1, 31)), (date(2028, 3, 1), date(2028, 3, 20)))),
    (date(2028, 1, 10), date(2028, 2, 20), None, ((date(2028, 1, 10), date(2028, 2, 20)),)),
    (date(2028, 2, 1), date(2028, 2, 29), (date(2028, 2, 1), date(2028, 3, 1)), ()),
    (date(2028, 2, 15), None, (date(2028, 3, 1), None), ((date(2028, 2, 15), date(2028, 2, 29)),)),
    (None, date(2028, 2, 15), (None, date(2028, 2, 1)), ((date(2028, 2, 1), date(2028, 2, 15)),)),
])
def test_whole_months_come_from_the_roll_up_and_the_edges_from_the_entries(
        date_from, date_to, months, days):
    assert period_parts(date_from, date_to) == PeriodParts(months, days)


def test_open_ended_periods_cover_everything_on_their_open_side():
    assert sorted(days_of(period_parts(date(2028, 2, 15), None))) == span(date(2028, 2, 15), FAR[1])
    assert sorted(days_of(period_parts(None, date(2028, 2, 15)))) == span(FAR[0], date(2028, 2, 15))
