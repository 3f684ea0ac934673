"""The caseworker's referral pages: refer, check, submit, follow, correct, withdraw, résumés."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import csrf_token, sign_in_as

from kit import get_state
from kit.models import (
    AuditEvent,
    Newcomer,
    NewcomerDocument,
    OutboxMessage,
    Referral,
    ReferralStatusChange,
)
from kit.services.audit import Actor
from kit.services.referrals import decide_referral

NEW = "/mentoring/agency/referrals/new"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FORM = {
    "given_name": "Nguyễn Thị", "family_name": "Lan", "email": "lan.nguyen@mail.example",
    "phone": "+1 604-555-0101", "birth_date": "1990-05-17", "preferred_locale": "fr",
    "languages": "vi, en", "language_test": "CLB", "clb_listening": "7", "clb_speaking": "6",
    "clb_reading": "7", "clb_writing": "6", "immigration_status": "permanent_resident",
    "country_of_education": "VN", "highest_credential": "Bachelor of civil engineering",
    "target_noc": "21300", "years_experience": "8", "naics_sector": "23",
    "career_goal": "Work as a civil engineer on bridges", "residence_area": "Port Alder",
    "availability_note": "Weekday afternoons", "job_search_workshop_completed": "y",
    "consent": "y",
}


def docx_bytes() -> bytes:
    """A minimal Word document; fixed part dates so two calls give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_part("[Content_Types].xml"),
                         '<Types><Override PartName="/word/document.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.'
                         'wordprocessingml.document.main+xml"/></Types>')
        archive.writestr(_part("word/document.xml"), "<w:document/>")
    return buffer.getvalue()


def _part(name: str) -> zipfile.ZipInfo:
    return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))


@pytest.fixture
def caseworker(app, factory, db, tmp_path):
    get_state().config["KIT_UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    factory.occupation("21300")
    user = factory.agency_user(factory.agency("Harbourview Newcomer Services"), "Ana Souza")
    db.commit()
    return user


@pytest.fixture
def signed_client(client, caseworker):
    sign_in_as(client, "agency", caseworker.id)
    return client


def post(client, path: str, action: str = "submit", resume=None, **changes):
    data = {**FORM, "csrf_token": csrf_token(client, NEW), "action": action, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    if resume is not None:
        data["resume"] = resume
    return client.post(path, data=data, content_type="multipart/form-data")


def counts(db) -> tuple[int, int, int, int]:
    return (db.query(Referral).count(), db.query(Newcomer).count(),
            db.query(ReferralStatusChange).count(), db.query(NewcomerDocument).count())


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def the_referral(db) -> Referral:
    return db.query(Referral).one()


def test_the_whole_referral_journey(signed_client, caseworker, factory, db) -> None:
    client = signed_client
    home = text(client.get("/mentoring/agency/"))
    assert 'href="/mentoring/agency/referrals/new"' in home and "Refer a newcomer" in home

    checked = post(client, NEW, action="check")
    page = text(checked)
    assert checked.status_code == 200 and "Eligibility check" in page
    assert "Immigration status accepted by the program" in page and "Met" in page
    assert "Submit the referral" in page
    assert counts(db) == (0, 0, 0, 0), "checking eligibility saves nothing"

    done = post(client, NEW, resume=(io.BytesIO(PDF_BYTES), "CV Nguyễn.pdf"))
    referral = the_referral(db)
    assert done.status_code == 302
    assert done.headers["Location"] == f"/mentoring/agency/referrals/{referral.id}"
    assert referral.status == "submitted" and referral.referred_by_id == caseworker.id
    assert referral.newcomer.full_name == "Nguyễn Thị Lan"
    assert referral.newcomer.naics_sector == "23" and referral.newcomer.language_codes == [
        "en", "vi"]
    assert referral.newcomer.consent_version == get_state().config["KIT_CONSENT_VERSION"]

    detail = text(client.get(done.headers["Location"]))
    assert "Nguyễn Thị Lan is referred." in detail and "Awaiting decision" in detail
    assert "Civil engineers (21300)" in detail and "Vietnam" in detail
    assert "Download CV Nguyễn.pdf" in detail and "Ana Souza" in detail
    assert db.query(AuditEvent).filter_by(action="newcomer.viewed").count() == 1
    listed = text(client.get("/mentoring/agency/"))
    assert f'href="/mentoring/agency/referrals/{referral.id}">Nguyễn Thị Lan</a>' in listed

    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    decide_referral(db, Actor("staff", coordinator.id), referral_id=referral.id, accept=False,
                    reason_codes=["missing_information"], note="Add the CLB test date, please.")
    db.commit()
    back = text(client.get(f"/mentoring/agency/referrals/{referral.id}"))
    assert "Referred back" in back and "Information is missing" in back
    assert "Add the CLB test date, please." in back and "Program coordinator" in back
    assert "Edit and resubmit" in back

    edit = text(client.get(f"/mentoring/agency/referrals/{referral.id}/edit"))
    assert 'value="Nguyễn Thị"' in edit and "Attached: CV Nguyễn.pdf" in edit
    resubmitted = post(client, f"/mentoring/agency/referrals/{referral.id}/edit",
                       availability_note="Weekday afternoons; CLB test 2026-03-02")
    assert resubmitted.status_code == 302
    db.refresh(referral)
    assert referral.status == "submitted"
    assert referral.newcomer.availability_note.endswith("2026-03-02")
    assert "is submitted again" in text(client.get(resubmitted.headers["Location"]))

    withdrawn = client.post(f"/mentoring/agency/referrals/{referral.id}/withdraw", data={
        "csrf_token": csrf_token(client, NEW), "note": "She found a job."})
    assert withdrawn.status_code == 302
    db.refresh(referral)
    assert referral.status == "withdrawn"
    history = [(c.from_status, c.to_status, c.actor_kind) for c in referral.status_changes]
    assert history == [(None, "draft", "agency"), ("draft", "submitted", "agency"),
                       ("submitted", "referred_back", "staff"),
                       ("referred_back", "submitted", "agency"),
                       ("submitted", "withdrawn", "agency")]
    final = text(client.get(withdrawn.headers["Location"]))
    assert "is withdrawn" in final and "She found a job." in final
    assert "Withdraw the referral" not in final and "Edit and" not in final


def test_a_submitted_referral_tells_the_coordinators(signed_client, factory, db) -> None:
    factory.staff("Amara Okafor", roles=("coordinator",), email="amara@city.example")
    db.commit()
    post(signed_client, NEW)
    assert [m.recipient for m in db.query(OutboxMessage)] == ["Amara Okafor <amara@city.example>"]


def test_a_draft_is_saved_and_submitted_later(signed_client, db) -> None:
    saved = post(signed_client, NEW, action="draft")
    referral = the_referral(db)
    assert referral.status == "draft" and referral.submitted_at is None
    page = text(signed_client.get(saved.headers["Location"]))
    assert "saved as a draft" in page and "Edit and submit" in page
    post(signed_client, f"/mentoring/agency/referrals/{referral.id}/edit")
    db.refresh(referral)
    assert referral.status == "submitted"


ERRORS = [
    ("given_name", "", "Enter the newcomer's given name."),
    ("email", "", "Enter the newcomer's e-mail address."),
    ("email", "lan at mail", "Enter a valid e-mail address."),
    ("phone", "call me", "Enter a phone number with digits, spaces, +, - or brackets."),
    ("birth_date", "17/05/1990", "Not a valid date value."),
    ("languages", "vietnamese", "Use two-letter language codes such as en, fr, ar, pa, zh."),
    ("clb_reading", "13", "Levels go from 1 to 12."),
    ("immigration_status", "", "Choose the newcomer's immigration status."),
    ("country_of_education", "ZZ", "Use a two-letter country code such as IN, NG, PH or UA."),
    ("target_noc", "", "Choose the occupation the newcomer aims for."),
    ("target_noc", "99999", "Choose an occupation (a NOC 2021 unit group of five digits)."),
    ("years_experience", "61", "Enter a number of years from 0 to 60."),
    ("naics_sector", "99", "Choose an industry sector (NAICS), such as 54."),
    ("career_goal", "", "Describe the newcomer's career goal in a sentence or two."),
    ("consent", None, "The newcomer's consent is needed to refer them."),
]


@pytest.mark.parametrize(("field", "value", "message"), ERRORS,
                         ids=[f"{field}-{value}" for field, value, _m in ERRORS])
def test_each_error_shows_next_to_its_field_and_saves_nothing(signed_client, db, field, value,
                                                              message) -> None:
    response = post(signed_client, NEW, **{field: value})
    page = text(response)
    assert response.status_code == 200
    error = re.search(rf'<p class="kit-error" id="{field}-error">([^<]*)</p>', page)
    assert error and message in error.group(1)
    assert "Nothing was saved" in page
    assert counts(db) == (0, 0, 0, 0)


@pytest.mark.parametrize(("content", "name", "message"), [
    (PNG_BYTES, "photo.pdf", "Choose a PDF or Word (DOCX) file"),
    (PDF_BYTES + b"x" * 2048, "big.pdf", "The file is larger than"),
])
@pytest.mark.kit_config(KIT_UPLOAD_MAX_BYTES=2048)
def test_a_refused_resume_shows_next_to_its_field(signed_client, db, tmp_path, content, name,
                                                  message) -> None:
    page = text(post(signed_client, NEW, resume=(io.BytesIO(content), name)))
    error = re.search(r'<p class="kit-error" id="resume-error">([^<]*)</p>', page)
    assert error and message in error.group(1)
    assert counts(db) == (0, 0, 0, 0)
    assert list((tmp_path / "uploads").iterdir()) == []


def test_without_a_csrf_token_nothing_is_saved(signed_client, db) -> None:
    response = signed_client.post(NEW, data={**FORM, "action": "submit"})
    assert response.status_code == 400
    assert counts(db) == (0, 0, 0, 0)


def test_a_docx_resume_is_stored_outside_static_files_and_downloaded(
        app, signed_client, db, tmp_path) -> None:
    done = post(signed_client, NEW, resume=(io.BytesIO(docx_bytes()), "Lan's CV.docx"))
    referral = the_referral(db)
    document = db.query(NewcomerDocument).one()
    stored = tmp_path / "uploads" / document.storage_key
    assert stored.read_bytes() == docx_bytes()
    static = Path(app.root_path, "static").resolve(), Path(__file__).parents[3] / "kit/static"
    assert not any(stored.resolve().is_relative_to(folder) for folder in static)
    assert signed_client.get(f"/mentoring/static/{document.storage_key}").status_code == 404

    download = signed_client.get(f"/mentoring/agency/referrals/{referral.id}/resume")
    assert download.status_code == 200 and download.data == docx_bytes()
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "Lan" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == document.content_type
    download.close()
    views = [e.details["what"] for e in db.query(AuditEvent).filter_by(action="newcomer.viewed")]
    assert views == ["resume"]
    assert done.status_code == 302


def test_the_resume_can_be_replaced_from_the_referral_page(signed_client, db, tmp_path) -> None:
    post(signed_client, NEW, resume=(io.BytesIO(PDF_BYTES), "old.pdf"))
    referral = the_referral(db)
    old = db.query(NewcomerDocument).one().storage_key
    replaced = signed_client.post(
        f"/mentoring/agency/referrals/{referral.id}/resume",
        data={"csrf_token": csrf_token(signed_client, NEW),
              "resume": (io.BytesIO(docx_bytes()), "new.docx")},
        content_type="multipart/form-data")
    assert replaced.status_code == 302
    document = db.query(NewcomerDocument).one()
    assert document.filename == "new.docx"
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == [document.storage_key] != [old]


def test_another_agencys_referral_is_not_found(signed_client, factory, db) -> None:
    other = factory.referral(agency=factory.agency("Riverside Immigrant Services"),
                             status="referred_back")
    db.commit()
    base = f"/mentoring/agency/referrals/{other.id}"
    token = csrf_token(signed_client, NEW)
    assert signed_client.get(base).status_code == 404
    assert signed_client.get(f"{base}/edit").status_code == 404
    assert signed_client.get(f"{base}/resume").status_code == 404
    assert post(signed_client, f"{base}/edit").status_code == 404
    assert signed_client.post(f"{base}/withdraw", data={"csrf_token": token}).status_code == 404
    assert signed_client.post(f"{base}/resume", data={"csrf_token": token}).status_code == 404
    db.refresh(other)
    assert other.status == "referred_back"
    assert db.query(AuditEvent).filter_by(action="newcomer.viewed").count() == 0


def test_an_accepted_referral_cannot_be_edited_or_withdrawn(signed_client, factory, caseworker,
                                                            db) -> None:
    accepted = factory.referral(agency=caseworker.agency, status="accepted")
    db.commit()
    base = f"/mentoring/agency/referrals/{accepted.id}"
    assert signed_client.get(f"{base}/edit").headers["Location"] == base
    signed_client.post(f"{base}/withdraw", data={"csrf_token": csrf_token(signed_client, NEW)})
    db.refresh(accepted)
    assert accepted.status == "accepted"
    assert "can no longer be withdrawn" in text(signed_client.get(base))


def test_the_occupation_search_answers_in_the_readers_language(signed_client) -> None:
    english = signed_client.get("/mentoring/agency/occupations?q=civil+engineer&lang=en").json
    assert {"code": "21300", "title": "Civil engineers"} in english["results"]
    french = signed_client.get("/mentoring/agency/occupations?q=génie civil&lang=fr").json
    assert any(r["code"] == "21300" and r["title"].startswith("Ingénieurs civils")
               for r in french["results"])
    old_code = signed_client.get("/mentoring/agency/occupations?q=2131").json
    assert old_code["results"][0]["code"] == "21300"


def test_the_form_works_without_javascript_and_names_the_occupation(signed_client) -> None:
    page = text(signed_client.get(NEW))
    assert '<script src="/mentoring/static/noc-search.js" defer></script>' in page
    assert "<script>" not in page
    checked = text(post(signed_client, NEW, action="check"))
    chosen = re.search(r'<p class="kit-chosen" id="target_noc-title"[^>]*>([^<]*)</p>', checked)
    assert chosen and chosen.group(1) == "Civil engineers (21300)"
    # Words typed without the script: the page lists matching occupations and their codes.
    words = text(post(signed_client, NEW, action="check", target_noc="civil engineer"))
    assert "<strong>21300</strong> Civil engineers" in words


def test_the_pages_speak_french(signed_client, caseworker, db) -> None:
    # A caseworker's own preference comes before the browser's; both say French here.
    caseworker.preferred_locale = "fr"
    db.commit()
    page = text(signed_client.get(NEW, headers={"Accept-Language": "fr"}))
    assert "Recommander une personne nouvellement arrivée" in page
    assert "Vérifier l'admissibilité" in page
    post(signed_client, NEW)
    referral = the_referral(db)
    detail = text(signed_client.get(f"/mentoring/agency/referrals/{referral.id}",
                                    headers={"Accept-Language": "fr"}))
    assert "Historique" in detail and "Ingénieurs civils" in detail


def test_an_invalid_correction_changes_nothing(signed_client, db) -> None:
    post(signed_client, NEW, action="draft")
    referral = the_referral(db)
    before = counts(db)
    page = text(post(signed_client, f"/mentoring/agency/referrals/{referral.id}/edit",
                     email="not an address", career_goal="Something else"))
    assert re.search(r'id="email-error">Enter a valid e-mail address\.<', page)
    db.refresh(referral.newcomer)
    assert referral.newcomer.email == FORM["email"]
    assert referral.newcomer.career_goal == FORM["career_goal"]
    assert counts(db) == before and referral.status == "draft"


@pytest.mark.kit_config(KIT_UPLOAD_MAX_BYTES=2048)
def test_a_body_far_over_the_limit_is_refused_before_it_is_read(signed_client, db) -> None:
    response = post(signed_client, NEW, resume=(io.BytesIO(b"%PDF-" + b"x" * 200_000), "a.pdf"))
    assert response.status_code == 413
    assert counts(db) == (0, 0, 0, 0)
