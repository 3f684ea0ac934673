"""The reports area: who may open it, its pages, charts beside tables, filters and files."""

from __future__ import annotations

import html
import json
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from conftest import sign_in_as
from sqlalchemy import select

from kit.auth.newcomer_links import issue_link
from kit.models import AuditEvent, CheckIn, NewcomerLink, Outcome

PAGES = ["/mentoring/reports/", "/mentoring/reports/hours", "/mentoring/reports/funnel",
         "/mentoring/reports/matches", "/mentoring/reports/outcomes",
         "/mentoring/reports/satisfaction", "/mentoring/reports/print"]
FILES = [f"/mentoring/reports/{name}.{kind}" for name in ("hours", "funnel", "matches",
                                                           "outcomes", "satisfaction", "funder")
         for kind in ("csv", "xlsx")] + ["/mentoring/reports/hours.json"]


@pytest.fixture
def program(factory, db):
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    admin = factory.staff("Pat Admin", roles=("admin",))
    mentor = factory.volunteer(factory.staff("Zoë O'Brien", department="Engineering",
                                             employee_number="E-42"))
    newcomer = factory.newcomer("Nguyễn Thị", "Lan")
    agency = factory.agency("Harbourview")
    factory.referral(newcomer, agency, status="accepted")
    caseworker = factory.agency_user(agency)
    match = factory.match(mentor, newcomer)
    factory.session(match, starts_in=-timedelta(days=40),
                    status="attended")
    factory.hours(mentor.staff, match, hours="3.5", worked_on=date(2026, 3, 2))
    db.add(CheckIn(match_id=match.id, respondent="newcomer", period_start=date(2026, 3, 1),
                   satisfaction=4))
    db.add(Outcome(newcomer_id=newcomer.id, match_id=match.id, interval="close",
                   status="employed_in_field", actor_kind="staff"))
    db.commit()
    return {"coordinator": coordinator, "admin": admin, "mentor": mentor,
            "newcomer": newcomer, "caseworker": caseworker, "match": match}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_open_every_page_and_file(client, program, role):
    sign_in_as(client, "staff", program[role].id)
    for path in PAGES + FILES:
        response = client.get(path)
        assert response.status_code == 200, path


def test_staff_agencies_and_newcomers_are_refused(app, client, program, db):
    issue_link(db, app.secret_key, program["newcomer"].id, max_age_days=30)
    db.commit()
    link = db.scalar(select(NewcomerLink.id))
    people = [("staff", program["mentor"].staff_id, None),
              ("agency", program["caseworker"].id, None),
              ("newcomer", program["newcomer"].id, link)]
    for kind, person, link_id in people:
        sign_in_as(client, kind, person, link_id)
        for path in PAGES + FILES:
            assert client.get(path).status_code == 403, (kind, path)


def test_a_stranger_is_sent_to_sign_in(client, program):
    assert client.get("/mentoring/reports/hours.csv").status_code == 302


def test_each_chart_is_an_accessible_svg_beside_its_data_table(client, program):
    sign_in_as(client, "staff", program["coordinator"].id)
    for path in PAGES[1:6]:
        page = client.get(path).get_data(as_text=True)
        assert "<script" not in page and "<table" in page, path
        start = page.find("<svg")
        assert start > 0, path
        # The kit's own markup, not untrusted input.
        svg = ElementTree.fromstring(page[start:page.find("</svg>") + 6])  # noqa: S314
        assert svg.get("role") == "img"
        titles = svg.findall("{http://www.w3.org/2000/svg}title")
        assert titles and svg.find("{http://www.w3.org/2000/svg}desc") is not None


def test_the_hours_page_shows_people_and_departments(client, program):
    sign_in_as(client, "staff", program["coordinator"].id)
    page = text(client.get("/mentoring/reports/hours"))
    assert "Zoë O'Brien" in page and "Engineering" in page and "3.5" in page
    assert 'href="/mentoring/reports/hours.csv"' in page


def test_the_stalled_list_records_who_saw_the_newcomers(client, program, db):
    sign_in_as(client, "staff", program["coordinator"].id)
    page = text(client.get("/mentoring/reports/matches"))
    assert "Nguyễn Thị Lan" in page
    events = db.query(AuditEvent).filter_by(action="newcomer.viewed").all()
    assert [(e.subject_id, e.details) for e in events] == [
        (str(program["newcomer"].id), {"what": "list"})]


@pytest.mark.parametrize(("query", "message"), [
    ("noc=21x", "Enter a NOC code of 1 to 5 digits"),
    ("noc=213100", "Enter a NOC code of 1 to 5 digits"),
    ("date_from=2026-13-01", "Not a valid date value"),
    ("date_from=2026-05-01&date_to=2026-04-01", "The period cannot end before it starts."),
    ("cohort_id=999", "Not a valid choice"),
    ("agency_id=abc", "Not a valid choice"),
    ("session_type=<script>", "Not a valid choice"),
])
def test_wrong_filters_are_answered_with_422_and_a_message(client, program, query, message):
    sign_in_as(client, "staff", program["coordinator"].id)
    for path in PAGES:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, path
        assert message in text(response), path
    for path in FILES:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, path
    errors = json.loads(client.get(f"/mentoring/reports/hours.json?{query}").data)["errors"]
    assert errors


def test_filters_are_kept_across_the_pages_and_files(client, program):
    sign_in_as(client, "staff", program["coordinator"].id)
    page = text(client.get("/mentoring/reports/hours?noc=21&date_from=2026-01-01"))
    assert 'href="/mentoring/reports/hours.csv?date_from=2026-01-01&noc=21"' in page
    assert 'value="21"' in page


def test_hr_systems_get_hours_per_employee_number(client, program):
    sign_in_as(client, "staff", program["coordinator"].id)
    body = client.get("/mentoring/reports/hours.json?date_from=2026-03-01").get_json()
    assert body["filters"] == {"date_from": "2026-03-01"}
    assert body["staff"] == [{
        "staff_id": program["mentor"].staff_id, "employee_number": "E-42",
        "directory_id": program["mentor"].staff.directory_id, "name": "Zoë O'Brien",
        "department": "Engineering", "confirmed_hours": "3.50", "pending_hours": "0.00",
        "entries": 1}]
    assert body["next"] is None and body["pages"] == 1
    assert client.get("/mentoring/reports/hours.json?date_from=2026-04-01").get_json()[
        "staff"] == []


def test_the_printable_page_has_every_report_and_no_controls(client, program):
    sign_in_as(client, "staff", program["coordinator"].id)
    page = text(client.get("/mentoring/reports/print?noc=2"))
    for title in ("Volunteer hours", "Referral funnel", "Active and stalled matches",
                  "Employment outcomes", "Satisfaction"):
        assert f"<h2>{title}</h2>" in page
    assert "<form method=\"get\"" not in page
    assert "Occupation (NOC code)" in page and "<dd>2</dd>" in page
