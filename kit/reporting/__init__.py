"""Reports on the program: SQL aggregates (queries), files (exports) and SVG charts (charts).

Nothing here imports Flask: the functions take a SQLAlchemy session and
:class:`~kit.reporting.filters.ReportFilters`, so a job or a benchmark can call them alone.
"""

from kit.reporting.conditions import Page
from kit.reporting.filters import FilterError, ReportFilters
from kit.reporting.progress import matches_report, outcomes_report, satisfaction_report
from kit.reporting.queries import (
    APPLIES,
    funnel_report,
    funnel_total,
    hours_report,
    hours_totals,
)

__all__ = [
    "APPLIES",
    "FilterError",
    "Page",
    "ReportFilters",
    "funnel_report",
    "funnel_total",
    "hours_report",
    "hours_totals",
    "matches_report",
    "outcomes_report",
    "satisfaction_report",
]
