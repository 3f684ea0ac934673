"""Report filters and the safety of exported cells."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kit.reporting.exports import Table, safe_text, to_csv
from kit.reporting.filters import FilterError, ReportFilters


@pytest.mark.parametrize(("code", "level"), [("2", "broad"), ("21", "major"),
                                             ("213", "submajor"), ("2131", "minor"),
                                             ("21310", "unit")])
def test_a_noc_code_names_its_level_by_its_length(code, level):
    assert ReportFilters(noc=code).noc_level == level


@pytest.mark.parametrize("code", ["", "213100", "21a", " 21", "2-1"])
def test_a_noc_filter_must_be_one_to_five_digits(code):
    with pytest.raises(FilterError) as error:
        ReportFilters(noc=code)
    assert error.value.field == "noc"


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(FilterError):
        ReportFilters(date_from=date(2026, 5, 2), date_to=date(2026, 5, 1))


def test_the_period_runs_from_midnight_to_midnight_in_the_employers_zone():
    start, end = ReportFilters(date_from=date(2026, 7, 1), date_to=date(2026, 7, 31)).moments(
        "America/Vancouver")
    assert start == datetime(2026, 7, 1, 7, tzinfo=UTC)  # PDT is UTC-7
    assert end == datetime(2026, 8, 1, 7, tzinfo=UTC)
    assert ReportFilters().moments("America/Vancouver") == (None, None)


def test_filters_become_query_arguments_and_can_be_narrowed():
    f = ReportFilters(date_from=date(2026, 1, 1), noc="21", agency_id=3, session_type="tour")
    assert f.as_args() == {"date_from": "2026-01-01", "noc": "21", "agency_id": "3",
                           "session_type": "tour"}
    assert f.only({"noc", "agency_id"}).as_args() == {"noc": "21", "agency_id": "3"}
    assert ReportFilters().is_empty() and not f.is_empty()


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=x"])
def test_text_a_spreadsheet_would_run_is_prefixed(value):
    assert safe_text(value) == "'" + value


def test_ordinary_text_and_numbers_are_left_alone():
    assert safe_text("Zoë O'Brien") == "Zoë O'Brien"
    body = to_csv("T", [("Dept", "=evil")], [Table("X", ["a", "b"], [["-x", -2.5]])])
    assert "'=evil" in body and "'-x,-2.5" in body
