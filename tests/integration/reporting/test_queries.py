"""Every report figure against the small program of report_program.py, computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from report_program import NOW, STALL_DAYS, TIMEZONE, at, build

from kit.reporting import (
    Page,
    ReportFilters,
    funnel_report,
    hours_report,
    hours_totals,
    matches_report,
    outcomes_report,
    satisfaction_report,
)


@pytest.fixture
def program(db):
    return build(db)


def d(value: str) -> Decimal:
    return Decimal(value)


def staff_rows(db, f=None):
    f = f or ReportFilters()
    report = hours_report(db, f, None)
    return [(s.name, s.confirmed, s.pending, s.entries) for s in report.staff]


def test_hours_per_staff_member_leave_out_rejected_entries_most_hours_first(db, program):
    assert staff_rows(db) == [("Ana Lima", d("5.50"), d("1.25"), 3),
                              ("Chen Wei", d("4.00"), d("0.00"), 1),
                              ("Ben Okafor", d("2.00"), d("0.50"), 2),
                              ("=Dev Patel", d("1.50"), d("0.00"), 1)]
    report = hours_report(db, ReportFilters(), None)
    assert report.staff[0].employee_number == "E-100"


def test_hours_per_department_and_in_total(db, program):
    report = hours_report(db, ReportFilters(), None)
    assert [(x.department, x.volunteers, x.confirmed, x.pending, x.entries)
            for x in report.departments] == [("Engineering", 2, d("7.50"), d("1.75"), 5),
                                             ("Health", 1, d("4.00"), d("0.00"), 1),
                                             (None, 1, d("1.50"), d("0.00"), 1)]
    assert report.totals == hours_totals(db, ReportFilters())
    assert (report.totals.volunteers, report.totals.confirmed, report.totals.pending,
            report.totals.entries) == (4, d("13.00"), d("1.75"), 7)


@pytest.mark.parametrize(("filters", "expected"), [
    (ReportFilters(date_from=date(2026, 3, 1), date_to=date(2026, 5, 31)),
     {"Ana Lima": "3.00", "Chen Wei": "4.00", "=Dev Patel": "1.50"}),
    (ReportFilters(department="Engineering"), {"Ana Lima": "5.50", "Ben Okafor": "2.00"}),
    (ReportFilters(noc="212"), {"Ben Okafor": "2.00"}),
    (ReportFilters(noc="21"), {"Ana Lima": "5.50", "Ben Okafor": "2.00", "=Dev Patel": "1.50"}),
    (ReportFilters(noc="2"), {"Ana Lima": "5.50", "Ben Okafor": "2.00", "=Dev Patel": "1.50"}),
    (ReportFilters(noc="31102"), {"Chen Wei": "4.00"}),
    (ReportFilters(session_type="one_on_one"), {"Ben Okafor": "2.00"}),
], ids=["period", "department", "noc-submajor", "noc-major", "noc-broad", "noc-unit",
        "session-type"])
def test_each_filter_narrows_the_hours(db, program, filters, expected):
    report = hours_report(db, filters, None)
    assert {s.name: str(s.confirmed) for s in report.staff} == expected


def test_the_cohort_and_agency_filters_keep_the_hours_of_their_matches(db, program):
    winter = ReportFilters(cohort_id=program.cohorts["c2"])
    north = ReportFilters(agency_id=program.agencies["north"])
    harbour = ReportFilters(agency_id=program.agencies["harbour"])
    assert hours_totals(db, winter).confirmed == hours_totals(db, north).confirmed == d("5.50")
    assert hours_totals(db, harbour).confirmed == d("7.50")


def test_the_staff_table_comes_a_page_at_a_time(db, program):
    first = hours_report(db, ReportFilters(), Page(1, 3))
    second = hours_report(db, ReportFilters(), Page(2, 3))
    assert (first.pages, second.pages) == (2, 2)
    assert [s.name for s in first.staff] == ["Ana Lima", "Chen Wei", "Ben Okafor"]
    assert [s.name for s in second.staff] == ["=Dev Patel"]
    assert second.totals.confirmed == d("13.00")


def funnel(db, f=None):
    f = f or ReportFilters()
    report = funnel_report(db, f, TIMEZONE)
    rows = {row.agency: [row.stage(s) for s in ("referred", "accepted", "matched",
                                                 "completed", "employed_in_field")]
            for row in report.agencies}
    total = report.total
    return rows, [total.referred, total.accepted, total.matched, total.completed,
                  total.employed_in_field]


def test_the_funnel_counts_each_newcomer_once_per_agency_and_in_total(db, program):
    rows, total = funnel(db)
    # Harbourview: n1, n2, n5 (twice), n6 (draft n7 left out); Northside: n3, n4, n6.
    assert rows == {"Harbourview": [4, 2, 2, 1, 1], "Northside": [3, 3, 2, 0, 0]}
    # n6, referred by both, counts once; n4 found work in field but did not complete.
    assert total == [6, 5, 4, 1, 1]
    report = funnel_report(db, ReportFilters(), TIMEZONE)
    assert report.agencies[0].share("accepted") == 50.0
    assert report.total.share("employed_in_field") == pytest.approx(16.7)


def test_funnel_filters(db, program):
    march = ReportFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert funnel(db, march) == ({"Northside": [2, 2, 2, 0, 0]}, [2, 2, 2, 0, 0])
    harbour = funnel(db, ReportFilters(agency_id=program.agencies["harbour"]))
    assert harbour == ({"Harbourview": [4, 2, 2, 1, 1]}, [4, 2, 2, 1, 1])
    assert funnel(db, ReportFilters(cohort_id=program.cohorts["c1"]))[1] == [2, 2, 2, 1, 1]
    assert funnel(db, ReportFilters(noc="213"))[1] == [3, 3, 2, 1, 1]  # n1, n4, n6
    assert funnel(db, ReportFilters(noc="3"))[1] == [1, 1, 1, 0, 0]  # n3


def test_the_period_ends_at_midnight_in_the_employers_time_zone(db, program):
    # n1 was referred on 2026-01-10 at 17:00 UTC, 09:00 in Vancouver.
    day = ReportFilters(date_from=date(2026, 1, 10), date_to=date(2026, 1, 10))
    assert funnel(db, day)[1][0] == 1
    assert ReportFilters(date_to=date(2026, 1, 9)).moments(TIMEZONE)[1] < at("2026-01-10")


def matches(db, f=None, page=None):
    f = f or ReportFilters()
    return matches_report(db, f, page, now=NOW, stall_days=STALL_DAYS)


def test_active_and_stalled_matches_per_department(db, program):
    report = matches(db)
    assert [(x.department, x.waiting, x.active, x.stalled, x.closed)
            for x in report.departments] == [("Engineering", 1, 1, 0, 1),
                                             ("Health", 0, 1, 1, 0),
                                             (None, 0, 0, 0, 1)]
    t = report.totals
    assert (t.waiting, t.active, t.stalled, t.closed) == (1, 2, 1, 2)
    # x3 met last on 2026-05-01: cancelled sessions and no-shows after it do not count.
    assert [(m.mentor, m.newcomer, m.last_session) for m in report.stalled] == [
        ("Chen Wei", "Newcomer n3 Test", at("2026-05-01"))]
    assert report.stalled[0].newcomer_id == program.newcomers["n3"]


def test_a_longer_stall_threshold_or_a_recent_session_is_not_stalled(db, program):
    assert matches_report(db, ReportFilters(), None, now=NOW, stall_days=60).totals.stalled == 0


def test_match_filters(db, program):
    april = matches(db, ReportFilters(date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)))
    assert (april.totals.active, april.totals.closed, april.totals.waiting) == (1, 1, 0)
    shadowing = matches(db, ReportFilters(session_type="job_shadowing"))
    assert (shadowing.totals.active, shadowing.totals.stalled) == (1, 1)
    engineering = matches(db, ReportFilters(department="Engineering")).totals
    assert (engineering.waiting, engineering.active, engineering.closed) == (1, 1, 1)
    assert matches(db, ReportFilters(cohort_id=program.cohorts["c2"])).totals.closed == 1
    assert matches(db, ReportFilters(agency_id=program.agencies["north"])).totals.waiting == 1
    assert matches(db, ReportFilters(noc="31")).totals.stalled == 1


def test_outcomes_at_each_interval_with_percentages(db, program):
    report = outcomes_report(db, ReportFilters(), TIMEZONE)
    close_in_field = report.cell("close", "employed_in_field")
    assert (close_in_field.count, close_in_field.percent) == (1, 50.0)
    assert report.cell("close", "searching").percent == 50.0
    later = report.cell("3m", "employed_in_field")
    assert (later.count, later.percent) == (2, 100.0)
    # (120 days for n1 + 91 days for n4) / 2
    assert later.days_to_employment == pytest.approx(105.5)
    assert report.total("6m") == 0 and report.cell("6m", "searching").percent is None


def test_outcome_filters(db, program):
    closed_late = outcomes_report(
        db, ReportFilters(date_from=date(2026, 5, 15), date_to=date(2026, 6, 30)), TIMEZONE)
    assert closed_late.total("close") == 1
    assert closed_late.cell("close", "employed_in_field").percent == 100.0
    assert outcomes_report(db, ReportFilters(department="Health"), TIMEZONE).cells == []
    north = outcomes_report(db, ReportFilters(agency_id=program.agencies["north"]), TIMEZONE)
    assert north.cell("close", "searching").count == 1 and north.total("close") == 1


def test_satisfaction_average_and_distribution(db, program):
    report = satisfaction_report(db, ReportFilters())
    mentor, newcomer = report.respondents
    assert (mentor.respondent, mentor.answers, mentor.average, mentor.distribution,
            mentor.concerns) == ("mentor", 3, 4.0, (0, 0, 1, 1, 1), 0)
    assert (newcomer.answers, newcomer.average, newcomer.distribution, newcomer.concerns) == (
        3, pytest.approx(3.67), (0, 1, 0, 1, 1), 1)
    assert [(m.month, m.respondent, m.answers, m.average) for m in report.months] == [
        (date(2026, 3, 1), "mentor", 1, 5.0), (date(2026, 3, 1), "newcomer", 1, 4.0),
        (date(2026, 4, 1), "mentor", 2, 3.5), (date(2026, 4, 1), "newcomer", 1, 2.0),
        (date(2026, 5, 1), "newcomer", 1, 5.0)]


def test_satisfaction_filters(db, program):
    fall = satisfaction_report(db, ReportFilters(cohort_id=program.cohorts["c1"]))
    assert [(r.respondent, r.average) for r in fall.respondents] == [("mentor", 4.0),
                                                                     ("newcomer", 3.0)]
    may = satisfaction_report(db, ReportFilters(date_from=date(2026, 5, 1)))
    assert [(r.respondent, r.answers) for r in may.respondents] == [("newcomer", 1)]
    health = satisfaction_report(db, ReportFilters(department="Health"))
    assert [(r.respondent, r.average) for r in health.respondents] == [("newcomer", 5.0)]
