"""Pure scheduling rules: time zones and DST, business hours, conflicts, iCalendar content.

Nothing here imports Flask or SQLAlchemy: the services feed plain values in (dates, times, zone
names, intervals) and store or send what comes out. See docs/scheduling.md.
"""

from kit.scheduling.conflicts import SQL_OVERLAP_CONDITION, find_conflicts, overlaps
from kit.scheduling.errors import SchedulingError
from kit.scheduling.holidays import bc_holidays, easter_sunday, holiday_dates
from kit.scheduling.ical import Attendee, CalendarEvent, Person, feed, invitation
from kit.scheduling.times import (
    DEFAULT_BUSINESS_HOURS,
    BusinessHours,
    check_business_hours,
    session_interval,
    to_local,
    to_utc,
    wall_clock_minutes,
    zone_info,
)

__all__ = [
    "DEFAULT_BUSINESS_HOURS",
    "SQL_OVERLAP_CONDITION",
    "Attendee",
    "BusinessHours",
    "CalendarEvent",
    "Person",
    "SchedulingError",
    "bc_holidays",
    "check_business_hours",
    "easter_sunday",
    "feed",
    "find_conflicts",
    "holiday_dates",
    "invitation",
    "overlaps",
    "session_interval",
    "to_local",
    "to_utc",
    "wall_clock_minutes",
    "zone_info",
]
