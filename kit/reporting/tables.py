"""The reports as titled tables in the reader's language: shown on pages and exported.

One builder per report turns its figures into :class:`~kit.reporting.exports.Table` rows, so
the page's data table, the CSV and the XLSX always say the same thing.
"""

from __future__ import annotations

from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.reporting.exports import Table
from kit.reporting.progress import SCORES, MatchesReport, OutcomesReport, SatisfactionReport
from kit.reporting.queries import FUNNEL_STAGES, FunnelReport, FunnelRow, HoursReport
from kit.reporting.suppression import Counted, is_small

OUTCOME_INTERVAL_LABELS = {
    "close": _l("At close"),
    "3m": _l("3 months after"),
    "6m": _l("6 months after"),
    "12m": _l("12 months after"),
}
OUTCOME_STATUS_LABELS = {
    "employed_in_field": _l("Employed in their field"),
    "employed_related": _l("Employed in a related field"),
    "employed_outside": _l("Employed outside their field"),
    "in_school": _l("In school"),
    "searching": _l("Looking for work"),
    "unknown": _l("Unknown"),
}
FUNNEL_STAGE_LABELS = {
    "referred": _l("Referred"),
    "accepted": _l("Accepted into the program"),
    "matched": _l("Matched with a mentor"),
    "completed": _l("Completed the program"),
    "employed_in_field": _l("Employed in their field"),
}
RESPONDENT_LABELS = {"mentor": _l("Mentors"), "newcomer": _l("Newcomers")}


def no_department(department: str | None) -> str:
    """A department's name, or words saying the directory gives none."""
    return department if department else _("No department")


def hours_tables(report: HoursReport, with_staff: bool = True) -> list[Table]:
    """Hours per department, then per staff member (this page of them, or all for files)."""
    tables = [Table(
        _("Volunteer hours per department"),
        [_("Department"), _("Volunteers"), _("Confirmed hours"), _("Hours awaiting "
                                                                    "confirmation"),
         _("Entries")],
        [[no_department(d.department), d.volunteers, d.confirmed, d.pending, d.entries]
         for d in report.departments],
        frozenset({1, 2, 3, 4}))]
    if with_staff:
        tables.append(Table(
            _("Volunteer hours per staff member"),
            [_("Staff member"), _("Employee number"), _("Department"), _("Confirmed hours"),
             _("Hours awaiting confirmation"), _("Entries")],
            [[s.name, s.employee_number, no_department(s.department), s.confirmed, s.pending,
              s.entries] for s in report.staff],
            frozenset({3, 4, 5})))
    return tables


def _funnel_row(name: str, row: FunnelRow) -> list[object]:
    cells: list[object] = [name]
    for stage in FUNNEL_STAGES:
        cells.append(row.stage(stage))
        if stage != "referred":
            cells.append(row.share(stage))
    return cells


def funnel_tables(report: FunnelReport) -> list[Table]:
    """The funnel per agency, then the program's total (a newcomer counted once)."""
    headings = [_("Agency")]
    for stage in FUNNEL_STAGES:
        headings.append(str(FUNNEL_STAGE_LABELS[stage]))
        if stage != "referred":
            headings.append(_("%(stage)s (%% of referred)", stage=FUNNEL_STAGE_LABELS[stage]))
    rows = [_funnel_row(row.agency or "", row) for row in report.agencies]
    rows.append(_funnel_row(_("Whole program"), report.total))
    return [Table(_("Referral funnel per agency"), headings, rows,
                  frozenset(range(1, len(headings))))]


#: The funnel table's counts of newcomers, and each share beside its count.
FUNNEL_COUNTED = Counted(
    frozenset({1, *range(2, 2 * len(FUNNEL_STAGES), 2)}),
    {share: share - 1 for share in range(3, 2 * len(FUNNEL_STAGES), 2)})


def matches_tables(report: MatchesReport, with_stalled: bool = True) -> list[Table]:
    """Matches per mentor's department, then the stalled matches."""
    rows = [[no_department(d.department), d.waiting, d.active, d.stalled, d.closed]
            for d in report.departments]
    t = report.totals
    rows.append([_("Whole program"), t.waiting, t.active, t.stalled, t.closed])
    tables = [Table(_("Matches per department of the mentor"),
                    [_("Department"), _("Awaiting start"), _("Active"),
                     _("Stalled (no session in %(days)d days)", days=report.stall_days),
                     _("Closed")], rows, frozenset({1, 2, 3, 4}))]
    if with_stalled:
        tables.append(Table(
            _("Stalled matches"),
            [_("Mentor"), _("Department"), _("Newcomer"), _("Started on"), _("Last session")],
            [[m.mentor, no_department(m.department), m.newcomer, m.started_on,
              m.last_session] for m in report.stalled]))
    return tables


#: The outcomes table's counts (one per interval) and each share beside its count.
OUTCOMES_COUNTED = Counted(
    frozenset(range(1, 2 * len(OUTCOME_INTERVAL_LABELS), 2)),
    {share: share - 1 for share in range(2, 2 * len(OUTCOME_INTERVAL_LABELS) + 1, 2)})
#: The satisfaction table: answers, the five scores and concerns count people's answers.
SATISFACTION_COUNTED = Counted(frozenset({1, *range(3, 3 + len(SCORES)), 3 + len(SCORES)}),
                               {2: 1})


def outcomes_tables(report: OutcomesReport, min_count: int = 1) -> list[Table]:
    """For each interval: the newcomers with each status and their share.

    The average time to employment of fewer than ``min_count`` newcomers is left out.
    """
    headings = [_("Status")]
    for interval in OUTCOME_INTERVAL_LABELS:
        label = OUTCOME_INTERVAL_LABELS[interval]
        headings += [str(label), _("%(interval)s (%%)", interval=label)]
    rows: list[list[object]] = []
    for status, status_label in OUTCOME_STATUS_LABELS.items():
        row: list[object] = [str(status_label)]
        for interval in OUTCOME_INTERVAL_LABELS:
            cell = report.cell(interval, status)
            row += [cell.count, cell.percent]
        rows.append(row)
    rows.append([_("Total"), *(value for interval in OUTCOME_INTERVAL_LABELS
                               for value in (report.total(interval), None))])
    days = [[str(OUTCOME_INTERVAL_LABELS[i]), str(OUTCOME_STATUS_LABELS[s]),
             report.cell(i, s).days_to_employment]
            for i in OUTCOME_INTERVAL_LABELS
            for s in ("employed_in_field", "employed_related", "employed_outside")
            if report.cell(i, s).days_to_employment is not None
            and not is_small(report.cell(i, s).count, min_count)]
    return [Table(_("Employment outcomes"), headings, rows, frozenset(range(1, len(headings)))),
            Table(_("Time to employment"),
                  [_("Interval"), _("Status"), _("Average days from the match's start")],
                  days, frozenset({2}))]


def satisfaction_tables(report: SatisfactionReport) -> list[Table]:
    """Satisfaction per respondent (answers, average, each score, concerns), then by month."""
    return [
        Table(_("Satisfaction"),
              [_("Respondents"), _("Answers"), _("Average (1 to 5)"),
               *(_("Score %(score)d", score=score) for score in SCORES),
               _("Concerns raised")],
              [[str(RESPONDENT_LABELS.get(r.respondent, r.respondent)), r.answers, r.average,
                *r.distribution, r.concerns] for r in report.respondents],
              frozenset(range(1, 9))),
        Table(_("Satisfaction by month"),
              [_("Month"), _("Respondents"), _("Answers"), _("Average (1 to 5)")],
              [[m.month.strftime("%Y-%m"), str(RESPONDENT_LABELS.get(m.respondent,
                                                                     m.respondent)),
                m.answers, m.average] for m in report.months],
              frozenset({2, 3})),
    ]
