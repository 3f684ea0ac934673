"""Reports for coordinators and admins: overview, one page per report, a printable page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.reports import files
from kit.blueprints.reports.build import REPORTS, build, number
from kit.blueprints.reports.common import ALL_FILTERS, context, filter_form
from kit.blueprints.reports.forms import ReportFilterForm
from kit.i18n import gettext as _
from kit.reporting.conditions import Page
from kit.reporting.progress import matches_report, outcomes_report, satisfaction_report
from kit.reporting.queries import APPLIES, funnel_total, hours_totals
from kit.services.audit import record_views
from kit.state import get_state
from kit.web import page_number


def create_blueprint() -> Blueprint:
    """The reports blueprint."""
    bp = Blueprint("kit_reports", __name__)
    bp.add_url_rule("/", "overview", overview)
    bp.add_url_rule("/print", "printable", printable)
    for name in REPORTS:
        bp.add_url_rule(f"/{name}", name, _report_view(name))
    files.register(bp)
    return bp


def _invalid(template: str, form: ReportFilterForm, **values: Any) -> tuple[str, int]:
    # Wrong filter values are the reader's to fix: say which, with 422, never a 500.
    return render_template(template, form=form, invalid=True, **values), 422


def _report_view(name: str) -> Any:
    @requires("coordinator")
    def view() -> str | tuple[str, int] | Response:
        form = filter_form()
        values = {"name": name, "title": REPORTS[name], "applies": APPLIES[name]}
        if not form.validate():
            return _invalid("kit/reports/report.html", form, report=None, **values)
        size = get_state().config["KIT_PAGE_SIZE"]
        c = context()
        report = build(name, c, form.filters(), Page(page_number(), size))
        if report.newcomer_ids:
            record_views(c.db, actor_of(signed_in()), report.newcomer_ids, "list")
            c.db.commit()
        return render_template("kit/reports/report.html", form=form, report=report,
                               args=form.filters().only(APPLIES[name]).as_args(), **values)

    view.__name__ = f"report_{name}"
    view.__doc__ = f"The {name} report with its filters, charts and tables."
    return view


@requires("coordinator")
def overview() -> str | tuple[str, int]:
    """The program at a glance: a few figures from each report, and links to each."""
    form = filter_form()
    if not form.validate():
        return _invalid("kit/reports/overview.html", form, figures=None, reports=REPORTS)
    c = context()
    f = form.filters()
    hours = hours_totals(c.db, f.only(APPLIES["hours"]))
    funnel = funnel_total(c.db, f.only(APPLIES["funnel"]), c.timezone)
    matches = matches_report(c.db, f.only(APPLIES["matches"]), Page(1, 1), now=c.now,
                             stall_days=c.stall_days).totals
    outcomes = outcomes_report(c.db, f.only(APPLIES["outcomes"]), c.timezone)
    satisfaction = satisfaction_report(c.db, f.only(APPLIES["satisfaction"])).respondents
    in_field = outcomes.cell("close", "employed_in_field").percent
    figures = [
        (number(hours.confirmed, 2), _("confirmed volunteer hours"), "hours"),
        (number(hours.volunteers, 0), _("volunteers who logged hours"), "hours"),
        (number(funnel.referred, 0), _("newcomers referred"), "funnel"),
        (number(funnel.employed_in_field, 0),
         _("completed the program and found work in their field"), "funnel"),
        (number(matches.active, 0), _("active matches"), "matches"),
        (number(matches.stalled, 0), _("stalled matches"), "matches"),
        ("—" if in_field is None else number(in_field, 1) + "\u00a0%",
         _("employed in their field at the close of their match"), "outcomes"),
    ]
    averages = {"mentor": _("average satisfaction of mentors (1 to 5)"),
                "newcomer": _("average satisfaction of newcomers (1 to 5)")}
    figures += [(number(r.average or 0, 2), averages.get(r.respondent, r.respondent),
                 "satisfaction") for r in satisfaction]
    return render_template("kit/reports/overview.html", form=form, figures=figures,
                           reports=REPORTS, args=f.as_args())


@requires("coordinator")
def printable() -> str | tuple[str, int]:
    """Every report on one page laid out for paper: charts and summary tables, no controls."""
    form = filter_form()
    if not form.validate():
        return _invalid("kit/reports/print.html", form, reports=None)
    c = context()
    f = form.filters()
    built = [build(name, c, f, Page(1, get_state().config["KIT_PAGE_SIZE"]))
             for name in REPORTS]
    for report in built:
        if report.paged is not None:
            del report.tables[report.paged:]  # the long lists stay on the screen and in files
    return render_template("kit/reports/print.html", form=form, reports=built,
                           described=form.described(ALL_FILTERS), generated=c.now)
