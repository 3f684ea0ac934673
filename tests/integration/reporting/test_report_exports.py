"""Exports read back as a spreadsheet program would: CSV, XLSX, the funders' file."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import sign_in_as
from openpyxl import load_workbook
from report_program import NOW, build

from kit.models import Newcomer, StaffMember


@pytest.fixture
def program(db, monkeypatch):
    monkeypatch.setattr("kit.blueprints.reports.common.utcnow", lambda: NOW)
    return build(db)


@pytest.fixture
def reader(factory, db):
    def make(locale: str = "en") -> StaffMember:
        person = factory.staff(f"Coordinator {locale}", roles=("coordinator",),
                               preferred_locale=locale, directory_id=f"reader-{locale}",
                               email=f"reader-{locale}@city.example")
        db.commit()
        return person
    return make


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def table(rows: list[list[str]], title: str) -> list[list[str]]:
    """The heading row and data rows of one table of an exported CSV."""
    start = rows.index([title]) + 1
    end = next((i for i in range(start, len(rows)) if rows[i] == []), len(rows))
    return rows[start:end]


def test_the_hours_csv_has_the_filters_and_every_staff_member(client, program, reader):
    sign_in_as(client, "staff", reader().id)
    response = client.get("/mentoring/reports/hours.csv?department=Engineering")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["Volunteer hours"]
    assert ["Department", "Engineering"] in rows and ["Cohort", "All"] in rows
    assert table(rows, "Volunteer hours per staff member") == [
        ["Staff member", "Employee number", "Department", "Confirmed hours",
         "Hours awaiting confirmation", "Entries"],
        ["Ana Lima", "E-100", "Engineering", "5.50", "1.25", "3"],
        ["Ben Okafor", "E-200", "Engineering", "2.00", "0.50", "2"]]


def test_a_name_that_looks_like_a_formula_stays_text(client, program, reader):
    sign_in_as(client, "staff", reader().id)
    rows = csv_rows(client.get("/mentoring/reports/hours.csv"))
    assert ["'=Dev Patel", "E-400", "No department", "1.50", "0.00", "1"] in rows
    book = load_workbook(io.BytesIO(client.get("/mentoring/reports/hours.xlsx").data))
    # Sheet names are cut at Excel's 31 characters.
    assert book.sheetnames == ["Filters", "Volunteer hours per department",
                               "Volunteer hours per staff membe"]
    sheet = book.worksheets[2]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=Dev Patel" in names
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_the_xlsx_holds_numbers_a_filters_sheet_and_one_sheet_per_table(client, program,
                                                                          reader):
    sign_in_as(client, "staff", reader().id)
    response = client.get("/mentoring/reports/funnel.xlsx?noc=213")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Filters", "Referral funnel per agency"]
    filters = list(book["Filters"].iter_rows(values_only=True))
    assert filters[0] == ("Referral funnel", None)
    assert ("Occupation (NOC code)", "213") in filters
    rows = list(book["Referral funnel per agency"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Agency", "Referred", "Accepted into the program")
    assert rows[-1][0] == "Whole program"
    assert [rows[-1][i] for i in (1, 2, 4, 6, 8)] == [3, 3, 2, 1, 1]


def test_every_report_exports_in_both_formats(client, program, reader):
    sign_in_as(client, "staff", reader().id)
    for name in ("hours", "funnel", "matches", "outcomes", "satisfaction"):
        assert csv_rows(client.get(f"/mentoring/reports/{name}.csv"))
        book = load_workbook(io.BytesIO(client.get(f"/mentoring/reports/{name}.xlsx").data))
        assert len(book.sheetnames) >= 2


def test_headings_are_in_the_readers_language(client, program, reader):
    sign_in_as(client, "staff", reader("fr").id)
    rows = csv_rows(client.get("/mentoring/reports/hours.csv"))
    assert rows[0] == ["Heures de bénévolat"]
    assert "Heures confirmées" in table(rows, "Heures de bénévolat par membre du personnel")[0]
    book = load_workbook(io.BytesIO(client.get("/mentoring/reports/outcomes.xlsx").data))
    assert book.sheetnames[0] == "Filtres"
    first = next(book["Résultats en emploi"].iter_rows(values_only=True))
    assert first[:2] == ("Statut", "À la fin du jumelage")


def personal_data(db) -> list[str]:
    values: list[str] = []
    for person in db.query(StaffMember):
        values += [person.display_name, person.email, person.directory_id,
                   person.employee_number or "E-none"]
    for newcomer in db.query(Newcomer):
        values += [newcomer.given_name, newcomer.email, newcomer.full_name]
    return values


def test_the_funders_export_holds_counts_and_no_personal_data(client, program, reader, db):
    sign_in_as(client, "staff", reader().id)
    rows = csv_rows(client.get("/mentoring/reports/funder.csv"))
    flat = "\n".join(",".join(row) for row in rows)
    book = load_workbook(io.BytesIO(client.get("/mentoring/reports/funder.xlsx").data))
    cells = "\n".join(str(value) for sheet in book for row in sheet.iter_rows(values_only=True)
                      for value in row if value is not None)
    for value in personal_data(db):
        assert value not in flat and value not in cells, value
    assert ["Confirmed volunteer hours", "13.00"] in rows
    assert ["Stalled matches", "1"] in rows and ["Active matches", "2"] in rows
    assert "Harbourview" in flat  # agencies are organisations, named



def test_the_funders_export_hides_counts_of_a_few_newcomers(client, program, reader, app):
    sign_in_as(client, "staff", reader().id)
    rows = csv_rows(client.get("/mentoring/reports/funder.csv"))
    [harbourview] = [row for row in rows if row and row[0] == "Harbourview"]
    # Each count of one to four people is "<5", and the share beside it empty.
    assert harbourview[1] == "<5" and "" in harbourview[2:]
    assert not any(cell.isdigit() and 0 < int(cell) < 5 for cell in harbourview[1:])
    app.extensions["kit"].config["KIT_FUNDER_MIN_COUNT"] = 1  # every count shown
    rows = csv_rows(client.get("/mentoring/reports/funder.csv"))
    [harbourview] = [row for row in rows if row and row[0] == "Harbourview"]
    assert harbourview[1].isdigit() and "<5" not in harbourview
