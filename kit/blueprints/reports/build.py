"""Each report as the page shows it: its figures, its charts and its data tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import format_decimal
from markupsafe import Markup
from sqlalchemy.orm import Session

from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.reporting import charts
from kit.reporting.charts import Series
from kit.reporting.conditions import Page
from kit.reporting.exports import Table
from kit.reporting.filters import ReportFilters
from kit.reporting.progress import (
    SCORES,
    matches_report,
    outcomes_report,
    satisfaction_report,
)
from kit.reporting.queries import APPLIES, FUNNEL_STAGES, funnel_report, hours_report
from kit.reporting.tables import (
    FUNNEL_STAGE_LABELS,
    OUTCOME_INTERVAL_LABELS,
    OUTCOME_STATUS_LABELS,
    RESPONDENT_LABELS,
    funnel_tables,
    hours_tables,
    matches_tables,
    no_department,
    outcomes_tables,
    satisfaction_tables,
)

#: The reports in the order of the overview, with their titles.
REPORTS = {
    "hours": _l("Volunteer hours"),
    "funnel": _l("Referral funnel"),
    "matches": _l("Active and stalled matches"),
    "outcomes": _l("Employment outcomes"),
    "satisfaction": _l("Satisfaction"),
}
CHART_ROWS = 10


def number(value: float | int | Decimal, digits: int = 1) -> str:
    """A figure in the reader's locale."""
    return format_decimal(value, format="#,##0." + "#" * digits if digits else "#,##0")


@dataclass
class Context:
    """What building a report needs besides its filters."""

    db: Session
    timezone: str
    now: datetime
    stall_days: int


@dataclass
class Built:
    """One report ready to show or export."""

    name: str
    title: str
    intro: str
    tables: list[Table]
    #: (visible caption, SVG) of each chart.
    charts: list[tuple[str, Markup]] = field(default_factory=list)
    #: The index in ``tables`` of the table shown one page at a time, if any.
    paged: int | None = None
    page: int = 1
    pages: int = 1
    #: Newcomers whose names the report shows (the audit log records the view).
    newcomer_ids: list[int] = field(default_factory=list)


def _hours(c: Context, f: ReportFilters, page: Page | None, charted: bool) -> Built:
    report = hours_report(c.db, f, page)
    top = report.departments[:CHART_ROWS]
    built = Built("hours", str(REPORTS["hours"]), _(
        "Hours staff members gave to the program, confirmed or awaiting confirmation; rejected "
        "entries are left out. Total: %(hours)s confirmed hours by %(people)s volunteers.",
        hours=number(report.totals.confirmed, 2), people=number(report.totals.volunteers, 0)),
        hours_tables(report), paged=1, page=report.page, pages=report.pages)
    if charted and top:
        _add(built, charts.bar_chart,
            "kit-chart-hours", _("Confirmed hours per department"),
            _("The %(count)d departments with the most confirmed hours; the table lists every "
              "department.", count=len(top)),
            [(no_department(d.department), float(d.confirmed)) for d in top],
            fmt=lambda v: number(v, 2))
    return built


def _funnel(c: Context, f: ReportFilters, _page: Page | None, charted: bool) -> Built:
    report = funnel_report(c.db, f, c.timezone)
    built = Built("funnel", str(REPORTS["funnel"]), _(
        "Newcomers referred by each agency, and how many of them were accepted, matched with a "
        "mentor, completed the program and found work in their field. A newcomer referred more "
        "than once counts once."), funnel_tables(report))
    if charted and report.total.referred:
        _add(built, charts.bar_chart,
            "kit-chart-funnel", _("Referral funnel of the whole program"),
            _("Newcomers at each stage, from referred to employed in their field."),
            [(str(FUNNEL_STAGE_LABELS[s]), report.total.stage(s)) for s in FUNNEL_STAGES],
            fmt=lambda v: number(v, 0))
    return built


def _matches(c: Context, f: ReportFilters, page: Page | None, charted: bool) -> Built:
    report = matches_report(c.db, f, page, now=c.now, stall_days=c.stall_days)
    built = Built("matches", str(REPORTS["matches"]), _(
        "Matches by the department of their mentor. An active match has stalled when no "
        "session was held or scheduled in the last %(days)d days.", days=report.stall_days),
        matches_tables(report), paged=1, page=report.page, pages=report.pages,
        newcomer_ids=[m.newcomer_id for m in report.stalled])
    top = [d for d in report.departments if d.active or d.waiting][:CHART_ROWS]
    if charted and top:
        _add(built, charts.stacked_bar_chart,
            "kit-chart-matches", _("Matches per department"),
            _("Matches on track, stalled and awaiting start in the %(count)d departments with "
              "the most active matches.", count=len(top)),
            [no_department(d.department) for d in top],
            [Series(_("Active, on track"), [d.active - d.stalled for d in top]),
             Series(_("Stalled"), [d.stalled for d in top]),
             Series(_("Awaiting start"), [d.waiting for d in top])],
            fmt=lambda v: number(v, 0))
    return built


def _outcomes(c: Context, f: ReportFilters, _page: Page | None, charted: bool) -> Built:
    report = outcomes_report(c.db, f, c.timezone)
    built = Built("outcomes", str(REPORTS["outcomes"]), _(
        "The newcomers' employment status at the close of their match and 3, 6 and 12 months "
        "after, with each status's share of the outcomes recorded at that time."),
        outcomes_tables(report))
    intervals = [i for i in OUTCOME_INTERVAL_LABELS if report.total(i)]
    if charted and intervals:
        _add(built, charts.stacked_bar_chart,
            "kit-chart-outcomes", _("Employment status at each interval"),
            _("Share of each status among the outcomes recorded at each interval, in percent."),
            [str(OUTCOME_INTERVAL_LABELS[i]) for i in intervals],
            [Series(str(name), [report.cell(i, status).percent for i in intervals])
             for status, name in OUTCOME_STATUS_LABELS.items()],
            fmt=lambda v: number(v, 1) + "\u00a0%")
    return built


def _satisfaction(c: Context, f: ReportFilters, _page: Page | None, charted: bool) -> Built:
    report = satisfaction_report(c.db, f)
    built = Built("satisfaction", str(REPORTS["satisfaction"]), _(
        "Satisfaction from 1 (very unsatisfied) to 5 (very satisfied) in the monthly check-ins "
        "answered by mentors and newcomers, and the concerns they raised."),
        satisfaction_tables(report))
    if charted and report.respondents:
        _add(built, charts.bar_chart,
            "kit-chart-scores", _("Answers per satisfaction score"),
            _("How many answers, of mentors and newcomers together, gave each score."),
            [(str(score), sum(r.distribution[score - 1] for r in report.respondents))
             for score in SCORES], horizontal=False, fmt=lambda v: number(v, 0))
        months = sorted({m.month for m in report.months})
        by_key = {(m.month, m.respondent): m.average for m in report.months}
        _add(built, charts.line_chart,
            "kit-chart-months", _("Average satisfaction by month"),
            _("The average score of each month's answers, for mentors and for newcomers."),
            [m.strftime("%Y-%m") for m in months],
            [Series(str(name), [by_key.get((m, code)) for m in months])
             for code, name in RESPONDENT_LABELS.items()],
            low=1.0, high=5.0, fmt=lambda v: number(v, 1))
    return built


def _add(built: Built, draw: Callable[..., Markup], chart_id: str, title: str,
         description: str, *args: object, **kwargs: object) -> None:
    """Draw a chart and keep its title as the figure's visible caption."""
    built.charts.append((title, draw(chart_id, title, description, *args, **kwargs)))


BUILDERS: dict[str, Callable[[Context, ReportFilters, Page | None, bool], Built]] = {
    "hours": _hours, "funnel": _funnel, "matches": _matches, "outcomes": _outcomes,
    "satisfaction": _satisfaction,
}


def build(name: str, context: Context, filters: ReportFilters, page: Page | None,
          charted: bool = True) -> Built:
    """Run one report with the filters that apply to it; ``page=None`` lists every row."""
    return BUILDERS[name](context, filters.only(APPLIES[name]), page, charted)
