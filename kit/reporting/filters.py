"""The filters every report shares: period, cohort, department, occupation, agency, session type.

A report applies the filters that make sense for what it counts (see ``applies`` of each report
in :mod:`kit.reporting.queries`); the others are left out of its form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: A NOC 2021 code at any level: 1 digit is a broad category, 2 a major group, 3 a sub-major
#: group, 4 a minor group and 5 a unit group; each level is a prefix of the codes below it.
NOC_PREFIX = re.compile(r"^[0-9]{1,5}$")
FILTER_NAMES = ("date_from", "date_to", "cohort_id", "department", "noc", "agency_id",
                "session_type")


class FilterError(ValueError):
    """A filter value that cannot be applied; ``field`` names the filter."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ReportFilters:
    """What a reader narrowed a report to; None means "all"."""

    date_from: date | None = None
    date_to: date | None = None
    cohort_id: int | None = None
    department: str | None = None
    noc: str | None = None
    agency_id: int | None = None
    session_type: str | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise FilterError("date_to", "the period ends before it starts")
        if self.noc is not None and not NOC_PREFIX.match(self.noc):
            raise FilterError("noc", "an occupation is a NOC code of 1 to 5 digits")

    @property
    def noc_level(self) -> str | None:
        """The NOC level the occupation filter names ('broad' ... 'unit'), or None."""
        if self.noc is None:
            return None
        return ("broad", "major", "submajor", "minor", "unit")[len(self.noc) - 1]

    def moments(self, timezone: str) -> tuple[datetime | None, datetime | None]:
        """The period as UTC instants: from midnight of the first day to midnight after the
        last, in the employer's time zone (a referral at 23:30 on the last day counts)."""
        zone = ZoneInfo(timezone)

        def midnight(day: date | None) -> datetime | None:
            if day is None:
                return None
            return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)

        end = self.date_to + timedelta(days=1) if self.date_to else None
        return midnight(self.date_from), midnight(end)

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (empty ones left out), for links and pages."""
        args = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None:
                args[field.name] = value.isoformat() if isinstance(value, date) else str(value)
        return args

    def is_empty(self) -> bool:
        """Whether no filter is set."""
        return not self.as_args()

    def only(self, names: frozenset[str] | set[str]) -> ReportFilters:
        """These filters with every filter not in ``names`` cleared."""
        return ReportFilters(**{name: getattr(self, name) if name in names else None
                                for name in FILTER_NAMES})
