"""Recognition: the bilingual certificate read back from the PDF, and the yearly list."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from kit.services.recognition import (
    CertificateError,
    certificate_pdf,
    find_font,
    mentor_certificate,
    newcomer_certificate,
    recognition_csv,
    recognition_list,
)

PROGRAM = {"en": "Newcomer Mentoring Program", "fr": "Programme de mentorat"}


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.fixture
def completed(factory, db):
    mentor = factory.staff("Zoë O'Brien")
    match = factory.match(factory.volunteer(mentor), factory.newcomer("Nguyễn Thị", "Lan"),
                          status="closed", started_on=date(2026, 1, 5),
                          planned_end_on=date(2026, 5, 1), close_reason="completed",
                          closed_at=datetime(2026, 5, 1, 18, tzinfo=UTC))
    factory.hours(mentor, match, hours="20", worked_on=date(2026, 2, 1))
    factory.hours(mentor, match, hours="4.5", worked_on=date(2026, 3, 1))
    factory.hours(mentor, match, hours="3", worked_on=date(2026, 3, 2), status="pending")
    db.commit()
    return match


def test_the_newcomers_certificate_says_name_hours_and_period_in_both_languages(
        db, completed) -> None:
    cert = newcomer_certificate(db, completed.newcomer_id, completed.id, PROGRAM)
    text = pdf_text(certificate_pdf(cert, find_font(), "fr"))
    assert text.count("Nguyễn Thị Lan") == 2
    assert "Certificate of completion" in text and "Certificat de réussite" in text
    assert "Newcomer Mentoring Program" in text and "Programme de mentorat" in text
    assert "from January 5, 2026 to May 1, 2026, for 24.5 hours." in text
    # French typography keeps "24,5 h" together (a non-breaking space in the PDF).
    assert "du 5 janvier 2026 au 1 mai 2026, pour un total de 24,5 h." in " ".join(
        text.replace("\u00a0", " ").split(" "))
    assert text.index("Certificat de réussite") < text.index("Certificate of completion")


def test_the_mentors_certificate(db, completed) -> None:
    cert = mentor_certificate(db, completed.volunteer.staff_id, completed.id, PROGRAM)
    text = pdf_text(certificate_pdf(cert, find_font(), "en"))
    assert "Zoë O'Brien" in text and "volunteered as a mentor" in text
    assert "mentor bénévole" in text and "24.5 hours" in text
    assert text.index("Certificate of completion") < text.index("Certificat de réussite")


def test_no_certificate_for_a_match_not_completed_or_not_ones_own(db, factory, completed
                                                                  ) -> None:
    active = factory.match()
    with pytest.raises(CertificateError) as refused:
        newcomer_certificate(db, active.newcomer_id, active.id, PROGRAM)
    assert refused.value.code == "not_completed"
    with pytest.raises(CertificateError) as refused:
        newcomer_certificate(db, active.newcomer_id, completed.id, PROGRAM)
    assert refused.value.code == "not_found"
    with pytest.raises(CertificateError):
        mentor_certificate(db, factory.staff("Someone").id, completed.id, PROGRAM)


def test_a_missing_font_says_what_to_install(tmp_path) -> None:
    with pytest.raises(CertificateError, match="does not exist"):
        find_font(str(tmp_path / "missing.ttf"))
    assert find_font().name == "DejaVuSans.ttf"


def test_the_yearly_list_levels_volunteers_by_threshold(db, factory) -> None:
    def volunteer(name: str, *hours: str, status="confirmed", year=2026):
        person = factory.staff(name, department="Parks")
        for day, amount in enumerate(hours, start=1):
            factory.hours(person, hours=amount, status=status, worked_on=date(year, 3, day))
        return person

    volunteer("Below", "9.5")
    ten = volunteer("Ten", "6", "4")
    many = volunteer("=Many", "24", "24", "3")
    twenty_four = volunteer("Twenty-four", "23", "1")
    volunteer("Pending", "20", "10", status="pending")
    volunteer("Last year", "20", "10", year=2025)
    rows = recognition_list(db, 2026, (10, 24, 50))
    assert [(r.staff_id, r.hours, r.level) for r in rows] == [
        (many.id, Decimal("51"), 50), (twenty_four.id, Decimal("24"), 24),
        (ten.id, Decimal("10"), 10)]
    assert [r.level for r in recognition_list(db, 2026, (5,))] == [5, 5, 5, 5]
    read = list(csv.reader(io.StringIO(recognition_csv(
        rows, ["Nom", "Service", "Courriel", "Heures", "Niveau"]))))
    assert read[0] == ["Nom", "Service", "Courriel", "Heures", "Niveau"]
    assert read[1][0] == "'=Many" and read[1][3:] == ["51", "50"]
