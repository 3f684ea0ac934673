"""Local dates and times in the employer's zone <-> aware UTC instants, DST-correct.

Sessions are stored as UTC instants; people type and read the employer's wall clock. Two
wall-clock moments need a decision once a year each:

* a time in the spring-forward gap (02:30 on the night clocks jump from 02:00 to 03:00) never
  happens: it is refused with ``nonexistent_local_time``;
* a time in the fall-back overlap (01:30 on the night clocks go back from 02:00 to 01:00) happens
  twice: by default it means the *first* occurrence (``fold=0``, still on daylight time, as most
  calendar programs read it); ``ambiguous="refuse"`` refuses it with ``ambiguous_local_time``.

Durations are wall-clock minutes: "two hours of job shadowing at 09:00" ends at 11:00 on the
clock, also on the day the clocks change.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kit.scheduling.errors import SchedulingError

Ambiguous = Literal["first", "refuse"]

OUTSIDE_BUSINESS_HOURS = "outside_business_hours"
WEEKEND = "weekend"
ON_HOLIDAY = "on_holiday"
#: Warning codes of :func:`check_business_hours`, in the order it reports them.
WARNING_CODES = (OUTSIDE_BUSINESS_HOURS, WEEKEND, ON_HOLIDAY)


def zone_info(zone: str | ZoneInfo) -> ZoneInfo:
    """The IANA zone named ``zone`` (e.g. ``America/Vancouver``); ``unknown_time_zone`` if none."""
    if isinstance(zone, ZoneInfo):
        return zone
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SchedulingError("unknown_time_zone", f"unknown time zone {zone!r}") from exc


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise SchedulingError("naive_datetime", f"{what} must be timezone-aware")


def _exists(local: datetime) -> bool:
    """Whether a wall-clock time (aware, in its zone) survives a round trip through UTC."""
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None, fold=0)


def _is_ambiguous(local: datetime) -> bool:
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def local_to_utc(
    wall: datetime, zone: str | ZoneInfo, *, ambiguous: Ambiguous = "first"
) -> datetime:
    """A naive wall-clock datetime in ``zone`` as an aware UTC datetime (see module rules)."""
    tz = zone_info(zone)
    local = wall.replace(tzinfo=tz, fold=0)
    if not _exists(local):
        raise SchedulingError(
            "nonexistent_local_time",
            f"{wall:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks skip it",
        )
    if _is_ambiguous(local) and ambiguous == "refuse":
        raise SchedulingError(
            "ambiguous_local_time",
            f"{wall:%Y-%m-%d %H:%M} happens twice in {tz.key}: the clocks go back",
        )
    return local.astimezone(UTC)


def to_utc(
    day: date, at: time, zone: str | ZoneInfo, *, ambiguous: Ambiguous = "first"
) -> datetime:
    """The UTC instant of ``day`` at ``at`` on the wall clock of ``zone``."""
    return local_to_utc(datetime.combine(day, at.replace(tzinfo=None)), zone, ambiguous=ambiguous)


def to_local(instant: datetime, zone: str | ZoneInfo) -> datetime:
    """An aware instant as an aware datetime on the wall clock of ``zone``."""
    _require_aware(instant, "the instant")
    return instant.astimezone(zone_info(zone))


def session_interval(
    day: date,
    at: time,
    minutes: int,
    zone: str | ZoneInfo,
    *,
    ambiguous: Ambiguous = "first",
) -> tuple[datetime, datetime]:
    """UTC start and end of a session of ``minutes`` wall-clock minutes starting ``day`` ``at``.

    The end is the start's wall clock plus ``minutes``. Only a session that spans the clock change
    itself (in the night) can end on a wall-clock time that is skipped: it then ends after
    ``minutes`` elapsed minutes; an end that happens twice is the first one after the start.
    """
    if minutes <= 0:
        raise SchedulingError("invalid_duration", "a session lasts at least one minute")
    tz = zone_info(zone)
    wall_start = datetime.combine(day, at.replace(tzinfo=None))
    start = local_to_utc(wall_start, tz, ambiguous=ambiguous)
    wall_end = (wall_start + timedelta(minutes=minutes)).replace(tzinfo=tz)
    if not _exists(wall_end):
        return start, start + timedelta(minutes=minutes)
    for fold in (0, 1):
        end = wall_end.replace(fold=fold).astimezone(UTC)
        if end > start:
            return start, end
    return start, start + timedelta(minutes=minutes)  # pragma: no cover - a zone going back > 1 h


def wall_clock_minutes(start: datetime, end: datetime, zone: str | ZoneInfo) -> int:
    """The length of ``start``-``end`` as the wall clock of ``zone`` shows it, in minutes."""
    local_start = to_local(start, zone).replace(tzinfo=None)
    local_end = to_local(end, zone).replace(tzinfo=None)
    return int((local_end - local_start).total_seconds() // 60)


@dataclass(frozen=True)
class BusinessHours:
    """Opening hours per weekday (Monday = 0): ``(opens, closes)`` or ``None`` when closed."""

    windows: tuple[tuple[time, time] | None, ...]

    def __post_init__(self) -> None:
        if len(self.windows) != 7:
            raise ValueError("business hours need one entry per weekday (Monday first)")
        for window in self.windows:
            if window is not None and not window[0] < window[1]:
                raise ValueError("business hours must close after they open")

    @classmethod
    def weekdays(
        cls,
        opens: time = time(8, 30),
        closes: time = time(16, 30),
        days: Collection[int] = (0, 1, 2, 3, 4),
    ) -> BusinessHours:
        """The same window on each of ``days`` (Monday = 0), closed on the others."""
        return cls(tuple((opens, closes) if day in days else None for day in range(7)))

    def window(self, weekday: int) -> tuple[time, time] | None:
        """The opening window of ``weekday`` (Monday = 0), or None when closed."""
        return self.windows[weekday]


#: Monday to Friday, 08:30 to 16:30: the default an employer overrides.
DEFAULT_BUSINESS_HOURS = BusinessHours.weekdays()


def check_business_hours(
    start: datetime,
    end: datetime,
    zone: str | ZoneInfo,
    hours: BusinessHours = DEFAULT_BUSINESS_HOURS,
    holidays: Collection[date] = frozenset(),
) -> list[str]:
    """Warnings (codes of ``WARNING_CODES``) for a session from ``start`` to ``end``.

    Judged on the wall clock of ``zone``, day by day: ``outside_business_hours`` when any part
    lies outside the day's window (a closed day has none), ``weekend`` when it touches a Saturday
    or Sunday, ``on_holiday`` when it touches a date of ``holidays``. These are warnings: the
    mentor may still schedule.
    """
    _require_aware(start, "the start")
    _require_aware(end, "the end")
    if not start < end:
        raise SchedulingError("invalid_interval", "a session must end after it starts")
    local_start = to_local(start, zone).replace(tzinfo=None)
    local_end = to_local(end, zone).replace(tzinfo=None)
    found: set[str] = set()
    day = local_start.date()
    while datetime.combine(day, time()) < local_end:
        part_start = max(local_start, datetime.combine(day, time()))
        part_end = min(local_end, datetime.combine(day + timedelta(days=1), time()))
        window = hours.window(day.weekday())
        if (
            window is None
            or part_start < datetime.combine(day, window[0])
            or part_end > datetime.combine(day, window[1])
        ):
            found.add(OUTSIDE_BUSINESS_HOURS)
        if day.weekday() >= 5:
            found.add(WEEKEND)
        if day in holidays:
            found.add(ON_HOLIDAY)
        day += timedelta(days=1)
    return [code for code in WARNING_CODES if code in found]


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
