"""The scheduling settings as configuration gives them: business hours and holidays.

``check_business_hours_setting`` and ``check_holidays_setting`` validate ``KIT_BUSINESS_HOURS``
and ``KIT_HOLIDAYS`` at start-up (a wrong value stops the app with a message naming the key);
:func:`business_hours` and :func:`holidays` turn the checked values into what the rules take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time
from typing import Any

from kit.scheduling.holidays import bc_holidays
from kit.scheduling.times import BusinessHours

HOLIDAY_RULES = ("BC",)


def _error(message: str) -> Exception:
    from kit.config import ConfigError  # kit.config imports this module: import at call time

    return ConfigError(message)


def _clock(name: str, value: Any) -> time:
    try:
        return time.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        raise _error(f"{name}: {value!r} is not a time such as '08:30'.") from None


def check_business_hours_setting(name: str, value: Any) -> Mapping[str, Any]:
    """``{"opens": "08:30", "closes": "16:30", "days": [0, 1, 2, 3, 4]}`` (Monday = 0)."""
    if not isinstance(value, Mapping) or set(value) - {"opens", "closes", "days"}:
        raise _error(f"{name} must be a mapping with 'opens', 'closes' and 'days', "
                     f"got {value!r}.")
    opens = _clock(name, value.get("opens", "08:30"))
    closes = _clock(name, value.get("closes", "16:30"))
    days = value.get("days", (0, 1, 2, 3, 4))
    if not isinstance(opens, time) or not isinstance(closes, time) or not opens < closes:
        raise _error(f"{name}: 'closes' must be a time after 'opens', got {value!r}.")
    if (isinstance(days, str) or not isinstance(days, Iterable)
            or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6
                       for d in days)):
        raise _error(f"{name}: 'days' must list weekdays 0 (Monday) to 6 (Sunday), "
                     f"got {days!r}.")
    return {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M"),
            "days": tuple(sorted(set(days)))}


def _dates(name: str, values: Any) -> tuple[date, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise _error(f"{name} must list dates such as '2027-12-27', got {values!r}.")
    found = []
    for value in values:
        try:
            found.append(value if isinstance(value, date) else date.fromisoformat(value))
        except (TypeError, ValueError):
            raise _error(f"{name}: {value!r} is not a date such as '2027-12-27'.") from None
    return tuple(sorted(set(found)))


def check_holidays_setting(name: str, value: Any) -> Mapping[str, Any]:
    """``"BC"`` (the province's rules), a list of dates, or ``{"rules", "add", "remove"}``."""
    if value is None:
        return {"rules": None, "add": (), "remove": ()}
    if isinstance(value, str):
        value = {"rules": value}
    elif not isinstance(value, Mapping):
        return {"rules": None, "add": _dates(name, value), "remove": ()}
    if set(value) - {"rules", "add", "remove"}:
        raise _error(f"{name} accepts the keys 'rules', 'add' and 'remove', got {value!r}.")
    rules = value.get("rules")
    if rules is not None and rules not in HOLIDAY_RULES:
        raise _error(f"{name}: unknown holiday rules {rules!r}; use one of {HOLIDAY_RULES} "
                     "or None.")
    return {"rules": rules, "add": _dates(name, value.get("add", ())),
            "remove": _dates(name, value.get("remove", ()))}


def business_hours(setting: Mapping[str, Any]) -> BusinessHours:
    """The checked ``KIT_BUSINESS_HOURS`` as :class:`BusinessHours`."""
    return BusinessHours.weekdays(time.fromisoformat(setting["opens"]),
                                  time.fromisoformat(setting["closes"]), setting["days"])


def holidays(setting: Mapping[str, Any], years: Iterable[int]) -> frozenset[date]:
    """The holiday dates of ``years`` under the checked ``KIT_HOLIDAYS``."""
    years = set(years)
    found: set[date] = set()
    if setting["rules"] == "BC":
        for year in years:
            found.update(bc_holidays(year))
    found.update(day for day in setting["add"] if day.year in years)
    found.difference_update(setting["remove"])
    return frozenset(found)
