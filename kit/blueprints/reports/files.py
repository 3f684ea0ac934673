"""The reports as files (CSV, XLSX), the HR systems' JSON and the funders' aggregate export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, url_for

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.reports.build import REPORTS, build
from kit.blueprints.reports.common import ALL_FILTERS, context, filter_form
from kit.i18n import gettext as _
from kit.reporting.conditions import Page
from kit.reporting.exports import Table, to_csv, to_xlsx
from kit.reporting.progress import matches_report, outcomes_report, satisfaction_report
from kit.reporting.queries import APPLIES, funnel_report, hours_report, hours_totals
from kit.reporting.suppression import suppress
from kit.reporting.tables import (
    FUNNEL_COUNTED,
    OUTCOMES_COUNTED,
    SATISFACTION_COUNTED,
    funnel_tables,
    outcomes_tables,
    satisfaction_tables,
)
from kit.services.audit import record_views
from kit.state import get_state
from kit.web import page_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Staff members per page of the HR systems' JSON.
JSON_PAGE_SIZE = 500


def register(bp: Blueprint) -> None:
    """Add the downloads and the JSON endpoint to the reports blueprint."""
    for name in REPORTS:
        for kind in ("csv", "xlsx"):
            bp.add_url_rule(f"/{name}.{kind}", f"{name}_{kind}", _download_view(name, kind))
    bp.add_url_rule("/funder.csv", "funder_csv", funder_csv)
    bp.add_url_rule("/funder.xlsx", "funder_xlsx", funder_xlsx)
    bp.add_url_rule("/hours.json", "hours_json", hours_json)


def _file(body: str | bytes, kind: str, stem: str) -> Response:
    day = context().now.date().isoformat()
    response = Response(body, mimetype="text/csv" if kind == "csv" else XLSX)
    if kind == "csv":
        response.mimetype = "text/csv"
        response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}-{day}.{kind}"'
    # Reports hold names and figures: never leave a copy in a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _rendered(kind: str, title: str, described: list[tuple[str, str]],
              tables: list[Table]) -> str | bytes:
    if kind == "csv":
        return to_csv(title, described, tables)
    return to_xlsx(title, described, tables, filters_sheet=_("Filters"))


def _refused(form: Any) -> tuple[str, int]:
    errors = "; ".join(f"{form[name].label.text}: {' '.join(map(str, field_errors))}"
                       for name, field_errors in form.errors.items())
    return _("The filters are not valid: %(errors)s", errors=errors), 422


def _download_view(name: str, kind: str) -> Any:
    @requires("coordinator")
    def view() -> Response | tuple[str, int]:
        form = filter_form()
        if not form.validate():
            return _refused(form)
        c = context()
        report = build(name, c, form.filters(), None, charted=False)
        if report.newcomer_ids:
            record_views(c.db, actor_of(signed_in()), report.newcomer_ids, "export")
            c.db.commit()
        return _file(_rendered(kind, report.title, form.described(APPLIES[name]),
                               report.tables), kind, name)

    view.__name__ = f"{name}_{kind}"
    view.__doc__ = f"The {name} report as {kind.upper()}, with its filters applied."
    return view


def funder_tables() -> tuple[list[tuple[str, str]], list[Table]]:
    """Counts only, for funders: no name, e-mail, employee number or department of a person.

    Agencies are organisations and appear by name; staff hours appear as program totals.
    Counts of newcomers below ``KIT_FUNDER_MIN_COUNT`` are written "<5", and the shares and
    averages computed from them left empty.
    """
    form = filter_form()
    if not form.validate():
        raise _Invalid(form)
    c = context()
    f = form.filters()
    hours = hours_totals(c.db, f.only(APPLIES["hours"]))
    matches = matches_report(c.db, f.only(APPLIES["matches"]), Page(1, 1), now=c.now,
                             stall_days=c.stall_days).totals
    minimum = get_state().config["KIT_FUNDER_MIN_COUNT"]
    funnel = funnel_tables(funnel_report(c.db, f.only(APPLIES["funnel"]), c.timezone))
    outcomes, days = outcomes_tables(outcomes_report(c.db, f.only(APPLIES["outcomes"]),
                                                     c.timezone), min_count=minimum)
    satisfaction = satisfaction_tables(satisfaction_report(c.db, f.only(APPLIES["satisfaction"])))
    tables = [
        Table(_("Program totals"), [_("Measure"), _("Value")], [
            [_("Volunteers who logged hours"), hours.volunteers],
            [_("Confirmed volunteer hours"), hours.confirmed],
            [_("Volunteer hours awaiting confirmation"), hours.pending],
            [_("Matches awaiting start"), matches.waiting],
            [_("Active matches"), matches.active],
            [_("Stalled matches"), matches.stalled],
            [_("Closed matches"), matches.closed],
        ], frozenset({1})),
        # Newcomers' figures: counts of a few people are hidden (KIT_FUNDER_MIN_COUNT).
        *(suppress(table, FUNNEL_COUNTED, minimum) for table in funnel),
        suppress(outcomes, OUTCOMES_COUNTED, minimum), days,
        suppress(satisfaction[0], SATISFACTION_COUNTED, minimum),
    ]
    return form.described(ALL_FILTERS), tables


class _Invalid(Exception):
    def __init__(self, form: Any) -> None:
        super().__init__("invalid filters")
        self.form = form


def _funder(kind: str) -> Response | tuple[str, int]:
    try:
        described, tables = funder_tables()
    except _Invalid as invalid:
        return _refused(invalid.form)
    return _file(_rendered(kind, _("Mentoring program: aggregate figures for funders"),
                           described, tables), kind, "funder")


@requires("coordinator")
def funder_csv() -> Response | tuple[str, int]:
    """The funders' export as CSV: aggregate counts only, no personal data."""
    return _funder("csv")


@requires("coordinator")
def funder_xlsx() -> Response | tuple[str, int]:
    """The funders' export as XLSX: aggregate counts only, no personal data."""
    return _funder("xlsx")


@requires("coordinator")
def hours_json() -> Response | tuple[Response, int]:
    """Volunteer hours per staff member for HR systems, with their employee number (JSON).

    Takes the report's filters as query arguments and ``page``; ``next`` links the next page.
    """
    form = filter_form()
    if not form.validate():
        return jsonify(errors={name: [str(e) for e in errs]
                               for name, errs in form.errors.items()}), 422
    c = context()
    f = form.filters().only(APPLIES["hours"])
    report = hours_report(c.db, f, Page(page_number(), JSON_PAGE_SIZE))
    following = None
    if report.page < report.pages:
        following = url_for(".hours_json", **f.as_args(), page=report.page + 1, _external=True)
    return jsonify(
        filters={**f.as_args()}, generated_at=c.now.isoformat(), page=report.page,
        pages=report.pages, next=following,
        totals={"volunteers": report.totals.volunteers,
                "confirmed_hours": str(report.totals.confirmed),
                "pending_hours": str(report.totals.pending)},
        staff=[{"staff_id": s.staff_id, "employee_number": s.employee_number,
                "directory_id": s.directory_id, "name": s.name, "department": s.department,
                "confirmed_hours": str(s.confirmed), "pending_hours": str(s.pending),
                "entries": s.entries} for s in report.staff],
    )
