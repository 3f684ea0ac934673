"""Privacy: closed referrals are purged in time, a newcomer's data is exported and erased."""

from __future__ import annotations

import io
import json
import os
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import String, Text, func, inspect, select

from kit import get_state
from kit.auth.newcomer_links import issue_link, open_link
from kit.models import (
    AuditEvent,
    AvailabilityWindow,
    CheckIn,
    EligibilityResult,
    HoursEntry,
    MatchStatusChange,
    Newcomer,
    NewcomerDocument,
    NewcomerLanguage,
    NewcomerLink,
    OutboxMessage,
    Outcome,
    Referral,
    ReferralStatusChange,
)
from kit.models.base import utcnow
from kit.services.audit import Actor
from kit.services.documents import check_upload, save_resume, upload_folder
from kit.services.outbox import enqueue
from kit.services.privacy import erase_newcomer, purge_closed_referrals
from kit.services.privacy_export import export_newcomer

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=utcnow().tzinfo)
COORDINATOR = Actor("staff", None)


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    get_state(app).config["KIT_UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def closed(factory, db, status: str, days_ago: int, newcomer=None, now=NOW) -> Referral:
    """A referral that reached ``status`` ``days_ago`` days before ``now``, with its history."""
    referral = factory.referral(newcomer=newcomer, status=status)
    when = now - timedelta(days=days_ago)
    db.add_all([
        ReferralStatusChange(referral_id=referral.id, from_status=None, to_status="submitted",
                             changed_at=when - timedelta(days=3), actor_kind="agency"),
        ReferralStatusChange(referral_id=referral.id, from_status="submitted", to_status=status,
                             changed_at=when, actor_kind="staff", note="Please add the CLB"),
        EligibilityResult(referral_id=referral.id, criterion="residence", passed=True,
                          detail="Port Alder"),
    ])
    db.flush()
    return referral


def resume(db, newcomer) -> str:
    upload = check_upload(io.BytesIO(b"%PDF-1.7\n" + b"x" * 100), "cv.pdf", max_bytes=10_000)
    document = save_resume(db, COORDINATOR, newcomer.id, upload)
    return os.path.join(upload_folder(), document.storage_key)


def test_old_referred_back_and_withdrawn_referrals_are_purged_with_their_files(
        db, factory) -> None:
    refused = closed(factory, db, "referred_back", 200)
    withdrawn = closed(factory, db, "withdrawn", 181)
    refused_file = resume(db, refused.newcomer)
    db.add(NewcomerLanguage(newcomer_id=refused.newcomer_id, language="vi"))
    db.commit()
    refused_person, withdrawn_person = refused.newcomer_id, withdrawn.newcomer_id
    assert os.path.isfile(refused_file)

    report = purge_closed_referrals(db, 180, now=NOW)

    assert (report.referrals, report.newcomers, report.files) == (2, 2, 1)
    assert db.scalar(select(func.count()).select_from(Referral)) == 0
    assert db.scalar(select(func.count()).select_from(ReferralStatusChange)) == 0
    assert db.scalar(select(func.count()).select_from(EligibilityResult)) == 0
    assert db.get(Newcomer, refused_person) is None and db.get(Newcomer, withdrawn_person) is None
    assert db.scalar(select(func.count()).select_from(NewcomerDocument)) == 0
    assert not os.path.exists(refused_file)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.purged")).one()
    assert event.details == {"older_than_days": 180, "referrals": 2, "newcomers": 2, "files": 1}


def test_recent_accepted_and_matched_ones_are_kept(db, factory) -> None:
    recent = closed(factory, db, "referred_back", 179)
    accepted = closed(factory, db, "accepted", 400)
    matched = closed(factory, db, "withdrawn", 400)
    factory.match(newcomer=matched.newcomer)
    again = factory.newcomer(given_name="Amina", family_name="Yusuf")
    old = closed(factory, db, "withdrawn", 400, newcomer=again)
    waiting = factory.referral(newcomer=again, status="submitted")
    db.commit()
    ids = {name: r.id for name, r in dict(recent=recent, accepted=accepted, matched=matched,
                                            old=old, waiting=waiting).items()}
    matched_person = matched.newcomer_id

    report = purge_closed_referrals(db, 180, now=NOW)

    assert (report.referrals, report.newcomers) == (2, 0)
    kept = set(db.scalars(select(Referral.id)))
    assert kept == {ids["recent"], ids["accepted"], ids["waiting"]}
    assert db.get(Newcomer, matched_person).erased_at is None
    assert db.get(Newcomer, again.id).given_name == "Amina"


def test_purging_twice_is_harmless(db, factory, runner) -> None:
    closed(factory, db, "withdrawn", 365)
    db.commit()
    first = purge_closed_referrals(db, 180, now=NOW)
    second = purge_closed_referrals(db, 180, now=NOW)
    assert first.referrals == 1 and (second.referrals, second.newcomers, second.files) == (0, 0, 0)
    assert db.scalar(select(func.count()).where(AuditEvent.action == "privacy.purged")) == 2


def test_two_hosts_purging_at_once_share_the_work(app, db, factory, request) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("row locks need PostgreSQL; run with --db=postgresql")
    for _ in range(5):
        person = factory.newcomer()
        closed(factory, db, "withdrawn", 300, newcomer=person)
        closed(factory, db, "referred_back", 250, newcomer=person)
    db.commit()
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def host() -> None:
        with app.app_context():
            session = get_state().db.session
            barrier.wait()
            try:
                reports.append(purge_closed_referrals(session, 180, now=NOW))
            except Exception as exc:  # any failure fails the test below
                errors.append(exc)
            finally:
                session.remove()

    threads = [threading.Thread(target=host) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r.referrals for r in reports) == 10 and sum(r.newcomers for r in reports) == 5
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Referral)) == 0
    assert db.scalar(select(func.count()).select_from(Newcomer)) == 0


def test_the_command_prints_counts_and_uses_the_configured_delay(db, factory, runner) -> None:
    closed(factory, db, "referred_back", 200, now=utcnow())
    closed(factory, db, "referred_back", 100, now=utcnow())
    db.commit()
    result = runner.invoke(args=["kit", "privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "Purged 1 referrals closed more than 180 days ago, 1 newcomers and 0 files." in (
        result.output)
    result = runner.invoke(args=["kit", "privacy", "purge"])
    assert "Purged 0 referrals" in result.output


@pytest.fixture
def lan(db, factory, app):
    """A newcomer in the program: referral, match, session, hours, check-ins, outcome, file."""
    newcomer = factory.newcomer(given_name="Nguyễn Thị", family_name="Lan",
                                email="lan.nguyen@mail.example", phone="+1 604-555-0101",
                                birth_date=date(1990, 5, 17), career_goal="Lan wants bridges",
                                residence_area="Port Alder", highest_credential="B.Eng., Hanoi")
    referral = closed(factory, db, "accepted", 30, newcomer=newcomer)
    referral.decision_note = "Lan is a strong fit"
    db.add_all([NewcomerLanguage(newcomer_id=newcomer.id, language="vi"),
                AvailabilityWindow(newcomer_id=newcomer.id, weekday=1, start_minute=540,
                                   end_minute=720)])
    mentor = factory.staff("Zoë O'Brien")
    match = factory.match(volunteer=factory.volunteer(mentor), newcomer=newcomer,
                          goals="Help Lan with the P.Eng. licence")
    db.add(MatchStatusChange(match_id=match.id, from_status="proposed", to_status="active",
                             actor_kind="staff", note="Lan and Zoë agreed"))
    factory.session(match, title="Site visit with Nguyễn Thị Lan")
    factory.hours(mentor, match, hours="3", note="Reviewed Lan's résumé")
    db.add_all([
        CheckIn(match_id=match.id, respondent="newcomer", period_start=date(2027, 5, 1),
                satisfaction=5, went_well="Zoë explained the permits", answered_at=NOW),
        CheckIn(match_id=match.id, respondent="mentor", period_start=date(2027, 5, 1),
                satisfaction=4, concerns="Lan seems tired", answered_at=NOW),
        Outcome(newcomer_id=newcomer.id, match_id=match.id, interval="close",
                status="employed_in_field", actor_kind="staff"),
    ])
    resume(db, newcomer)
    with app.test_request_context():
        token = issue_link(db, app.secret_key, newcomer.id, max_age_days=30)
        enqueue(db, recipient="lan.nguyen@mail.example", subject="Your link",
                body_text="Hello Nguyễn Thị Lan", locale="en")
        enqueue(db, recipient="coordinator@city.example",
                subject="New referral: Nguyễn Thị Lan", body_text="Lan from Harbourview",
                locale="en")
    db.commit()
    return newcomer, match, token


def test_the_export_holds_everything_and_is_json(db, lan) -> None:
    newcomer, _match, _token = lan
    data = json.loads(json.dumps(export_newcomer(db, newcomer.id)))
    assert data["profile"]["email"] == "lan.nguyen@mail.example"
    assert data["profile"]["birth_date"] == "1990-05-17"
    assert data["languages"] == ["vi"]
    assert data["availability"] == [{"weekday": 1, "start_minute": 540, "end_minute": 720}]
    [referral] = data["referrals"]
    assert [h["to_status"] for h in referral["history"]] == ["submitted", "accepted"]
    assert referral["eligibility"][0]["criterion"] == "residence"
    [exported_match] = data["matches"]
    assert exported_match["mentor"] == "Zoë O'Brien" and exported_match["history"]
    assert data["sessions"][0]["title"] == "Site visit with Nguyễn Thị Lan"
    assert data["hours"][0]["hours"] == "3.00"
    assert [c["went_well"] for c in data["check_ins"]] == ["Zoë explained the permits"]
    assert data["outcomes"][0]["status"] == "employed_in_field"
    assert set(data["links"][0]) == {"purpose", "created_at", "expires_at", "revoked_at",
                                     "last_used_at"}
    assert data["documents"][0]["filename"] == "cv.pdf"
    assert "storage_key" not in data["documents"][0]
    assert {e["action"] for e in data["audit_events"]} >= {"newcomer.document_uploaded"}


def _texts(db, record) -> list[str]:
    mapper = inspect(type(record))
    values = []
    for column in mapper.columns:
        value = getattr(record, column.key)
        if isinstance(column.type, String | Text) and isinstance(value, str):
            values.append(value)
        elif isinstance(value, dict | list):
            values.append(json.dumps(value, ensure_ascii=False))
    return values


def test_erasure_leaves_no_personal_data_and_reports_still_count(db, lan, app,
                                                                 factory) -> None:
    newcomer, match, token = lan
    coordinator = factory.staff("Priya Raman", roles=("coordinator",))
    files = list(os.scandir(upload_folder()))
    assert files

    erase_newcomer(db, Actor("staff", coordinator.id), newcomer.id)
    db.commit()
    db.expire_all()

    person = db.get(Newcomer, newcomer.id)
    assert person.erased_at is not None and person.birth_date is None
    related = [person]
    for model in (Referral, Outcome, OutboxMessage, AuditEvent, EligibilityResult,
                  ReferralStatusChange, MatchStatusChange, CheckIn, HoursEntry):
        related.extend(db.scalars(select(model)))
    related.extend([match, *match.sessions])
    secrets = ("lan.nguyen@mail.example", "Nguyễn Thị", "Lan", "604-555-0101", "Port Alder",
               "Hanoi")
    for record in related:
        for text in _texts(db, record):
            leaked = [s for s in secrets if s.lower() in text.lower()]
            assert not leaked, (record, text)
    for model in (NewcomerLanguage, NewcomerLink, AvailabilityWindow, NewcomerDocument):
        assert db.scalar(select(func.count()).select_from(model)) == 0, model
    assert not [f for f in os.scandir(upload_folder()) if not f.name.startswith(".")]
    # The e-mail to them is gone; the coordinator's notice stays, without the name, and the
    # mentor is sent the calendar cancellation of the coming session.
    notice, cancellation = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert notice.recipient == "coordinator@city.example" and "[…]" in notice.subject
    assert cancellation.recipient.endswith(f"<{match.volunteer.staff.email}>")
    assert "METHOD:CANCEL" in cancellation.ical and "[…]" in cancellation.subject
    [session] = match.sessions
    assert session.status == "cancelled"
    assert session.cancel_reason == "The newcomer left the program."
    [check_in_scores] = [sorted(c.satisfaction for c in match.check_ins)]
    assert check_in_scores == [4, 5]
    assert db.scalar(select(func.sum(HoursEntry.hours)).where(
        HoursEntry.match_id == match.id)) == Decimal("3")
    assert db.scalar(select(func.count()).select_from(Outcome)) == 1
    assert match.status == "closed" and match.close_reason == "ended_by_newcomer"
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "newcomer.erased")).one()
    assert event.actor_id == str(coordinator.id) and event.subject_id == str(newcomer.id)
    with app.test_request_context():
        assert open_link(db, app.secret_key, token) is None
    erase_newcomer(db, Actor("staff", coordinator.id), newcomer.id)  # twice is harmless
    db.commit()
    assert db.scalar(select(func.count()).where(AuditEvent.action == "newcomer.erased")) == 1


def test_erasing_withdraws_waiting_referrals(db, factory) -> None:
    referral = factory.referral(status="submitted")
    db.commit()
    erase_newcomer(db, COORDINATOR, referral.newcomer_id)
    db.commit()
    assert db.get(Referral, referral.id).status == "withdrawn"
    with pytest.raises(LookupError):
        erase_newcomer(db, COORDINATOR, 999_999)
