"""KIT_BUSINESS_HOURS and KIT_HOLIDAYS: checked at start-up, turned into the rules' values."""

from __future__ import annotations

from datetime import date, time

import pytest

from kit.config import ConfigError, load_config
from kit.scheduling.settings import business_hours, holidays


def test_defaults_are_weekdays_and_the_bc_holidays():
    config = load_config({})
    hours = business_hours(config["KIT_BUSINESS_HOURS"])
    assert hours.window(0) == (time(8, 30), time(16, 30))
    assert hours.window(5) is None
    days = holidays(config["KIT_HOLIDAYS"], [2027])
    assert date(2027, 7, 1) in days and date(2027, 9, 30) in days


def test_holidays_may_add_and_remove_days_or_be_a_plain_list():
    config = load_config({"KIT_HOLIDAYS": {"rules": "BC", "add": ["2027-12-27"],
                                           "remove": ["2027-12-26"]}})
    days = holidays(config["KIT_HOLIDAYS"], [2027])
    assert date(2027, 12, 27) in days and date(2027, 12, 26) not in days
    plain = load_config({"KIT_HOLIDAYS": ["2027-06-21"]})["KIT_HOLIDAYS"]
    assert holidays(plain, [2027]) == {date(2027, 6, 21)}
    assert holidays(load_config({"KIT_HOLIDAYS": None})["KIT_HOLIDAYS"], [2027]) == set()


@pytest.mark.parametrize(("key", "value", "words"), [
    ("KIT_BUSINESS_HOURS", {"opens": "17:00", "closes": "09:00"}, "after 'opens'"),
    ("KIT_BUSINESS_HOURS", {"opens": "8h"}, "is not a time"),
    ("KIT_BUSINESS_HOURS", {"days": [7]}, "weekdays 0"),
    ("KIT_BUSINESS_HOURS", {"weekends": True}, "a mapping with"),
    ("KIT_HOLIDAYS", "ON", "unknown holiday rules"),
    ("KIT_HOLIDAYS", ["2027-02-30"], "is not a date"),
    ("KIT_REMINDER_HOURS", 0, "positive whole number"),
])
def test_a_wrong_value_stops_start_up_naming_the_key(key, value, words):
    with pytest.raises(ConfigError) as caught:
        load_config({key: value})
    assert key in str(caught.value) and words in str(caught.value)
