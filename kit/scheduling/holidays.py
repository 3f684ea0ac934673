"""Default holidays, computed by rule: the British Columbia calendar an employer starts from.

These are the dates themselves. When a holiday falls on a weekend, the day off in lieu (for
example Monday 27 December) is the employer's to add, as are local or collective-agreement
holidays: the holiday list is configuration, this is only its default.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

MONDAY = 0


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (Monday = 0) of a month, e.g. the 3rd Monday of February."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _monday_before(day: date) -> date:
    """The last Monday strictly before ``day``."""
    return day - timedelta(days=(day.weekday() - MONDAY) % 7 or 7)


def bc_holidays(year: int) -> dict[date, str]:
    """British Columbia's holidays of ``year``, date -> code (codes are translated by the screens).

    The statutory holidays of the Employment Standards Act as in force since 2023, plus Boxing
    Day, which is not statutory in BC but which most public employers give: an employer that does
    not removes it from its list.
    """
    days = {
        date(year, 1, 1): "new_years_day",
        nth_weekday(year, 2, MONDAY, 3): "family_day",
        easter_sunday(year) - timedelta(days=2): "good_friday",
        _monday_before(date(year, 5, 25)): "victoria_day",
        date(year, 7, 1): "canada_day",
        nth_weekday(year, 8, MONDAY, 1): "bc_day",
        nth_weekday(year, 9, MONDAY, 1): "labour_day",
        date(year, 9, 30): "truth_and_reconciliation_day",
        nth_weekday(year, 10, MONDAY, 2): "thanksgiving",
        date(year, 11, 11): "remembrance_day",
        date(year, 12, 25): "christmas_day",
        date(year, 12, 26): "boxing_day",
    }
    return dict(sorted(days.items()))


def holiday_dates(years: Iterable[int]) -> frozenset[date]:
    """The default holiday dates of several years, ready for ``check_business_hours``."""
    return frozenset(day for year in years for day in bc_holidays(year))
