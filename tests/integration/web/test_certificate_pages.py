"""Certificates as downloads (newcomer by link, mentor signed in) and the recognition list."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from conftest import sign_in_as
from pypdf import PdfReader

from kit.auth.newcomer_links import issue_link
from kit.models import NewcomerLink

RECOGNITION = "/mentoring/coordinator/recognition"


@pytest.fixture
def match(factory, db):
    mentor = factory.staff("Zoë O'Brien", department="Engineering Services")
    match = factory.match(factory.volunteer(mentor), factory.newcomer("Nguyễn Thị", "Lan"),
                          status="closed", close_reason="completed",
                          started_on=date(2026, 1, 5), planned_end_on=date(2026, 5, 1),
                          closed_at=datetime(2026, 5, 1, 18, tzinfo=UTC))
    factory.hours(mentor, match, hours="12", worked_on=date(2026, 2, 3))
    factory.hours(mentor, match, hours="12", worked_on=date(2026, 2, 4))
    db.commit()
    return match


def as_newcomer(client, app, db, newcomer_id: int) -> None:
    """Sign in as a newcomer through a personal link, as their e-mail would."""
    issue_link(db, app.secret_key, newcomer_id, max_age_days=30)
    db.commit()
    link = db.query(NewcomerLink).filter_by(newcomer_id=newcomer_id).first()
    sign_in_as(client, "newcomer", newcomer_id, link.id)


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data)).pages[0].extract_text()


def test_the_newcomer_downloads_a_bilingual_certificate(client, app, db, match) -> None:
    as_newcomer(client, app, db, match.newcomer_id)
    assert f"/mentoring/newcomer/certificate/{match.id}.pdf" in client.get(
        "/mentoring/newcomer/hours").get_data(as_text=True)
    text = pdf_text(client.get(f"/mentoring/newcomer/certificate/{match.id}.pdf"))
    assert "Nguyễn Thị Lan" in text and "24 hours" in text
    assert "Certificat de réussite" in text and "janvier 2026" in text


def test_the_mentor_downloads_theirs(client, db, match) -> None:
    sign_in_as(client, "staff", match.volunteer.staff_id)
    text = pdf_text(client.get(f"/mentoring/staff/hours/certificate/{match.id}.pdf"))
    assert "Zoë O'Brien" in text and "January 5, 2026" in text


def test_no_certificate_for_someone_elses_or_an_unfinished_match(client, app, db, factory,
                                                                 match) -> None:
    active = factory.match()
    db.commit()
    sign_in_as(client, "staff", active.volunteer.staff_id)
    assert client.get(f"/mentoring/staff/hours/certificate/{match.id}.pdf").status_code == 404
    assert client.get(f"/mentoring/staff/hours/certificate/{active.id}.pdf").status_code == 404
    as_newcomer(client, app, db, active.newcomer_id)
    assert client.get(f"/mentoring/newcomer/certificate/{match.id}.pdf").status_code == 404


@pytest.mark.kit_config(KIT_CERTIFICATE_FONT="/nonexistent/font.ttf")
def test_a_missing_font_is_a_clear_503_not_a_crash(client, db, match) -> None:
    sign_in_as(client, "staff", match.volunteer.staff_id)
    assert client.get(f"/mentoring/staff/hours/certificate/{match.id}.pdf").status_code == 503


@pytest.mark.kit_config(KIT_RECOGNITION_THRESHOLDS=[10, 20])
def test_the_coordinator_sees_and_downloads_the_recognition_list(client, db, factory, match
                                                                 ) -> None:
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    db.commit()
    sign_in_as(client, "staff", coordinator.id)
    page = client.get(RECOGNITION + "?year=2026").get_data(as_text=True)
    assert "Zoë O&#39;Brien" in page or "Zoë O'Brien" in page
    response = client.get("/mentoring/coordinator/recognition.csv?year=2026")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Name"
    assert rows[1] == ["Zoë O'Brien", "Engineering Services", match.volunteer.staff.email,
                       "24", "20"]
    assert "No volunteer" in client.get(RECOGNITION + "?year=2025").get_data(as_text=True)


@pytest.mark.parametrize("path", [RECOGNITION, "/mentoring/coordinator/recognition.csv"])
def test_the_list_is_for_coordinators_only(client, db, match, path) -> None:
    sign_in_as(client, "staff", match.volunteer.staff_id)
    assert client.get(path).status_code == 403
