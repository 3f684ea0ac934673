"""E-mails about referrals: to coordinators (one each, or a daily digest) and to the agency.

They are queued with the change they announce, in each recipient's language, and never lost:
the last test takes the real SMTP server down and brings it back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from conftest import csrf_token, make_app, sign_in_as
from flask import Flask
from sqlalchemy import select, update

from factories import Factory
from kit import get_state
from kit.models import Base, OutboxMessage
from kit.models.base import utcnow
from kit.services.audit import Actor
from kit.services.referral_notices import notify_decision, notify_new_referral, send_digest
from kit.services.referrals import Consent, create_referral, decide_referral
from servers.smtp import SMTPServer

PROFILE = {
    "given_name": "Nguyễn Thị", "family_name": "Lan", "email": "lan@mail.example",
    "phone": None, "birth_date": date(1990, 5, 17), "preferred_locale": "fr",
    "languages": ["vi"], "immigration_status": "permanent_resident",
    "country_of_education": "VN", "clb_listening": 7, "clb_speaking": 6, "clb_reading": 7,
    "clb_writing": 4, "target_noc_code": "21300", "career_goal": "Design bridges again",
    "residence_area": "Port Alder", "job_search_workshop_completed": True,
}


@pytest.fixture
def people(factory: Factory, db):
    """Two coordinators (English, French), an admin, a mentor, an inactive coordinator."""
    factory.occupation("21300")
    agency = factory.agency("Harbourview Newcomer Services")
    found = {
        "amara": factory.staff("Amara Okafor", roles=("coordinator",), email="amara@city.example"),
        "jean": factory.staff("Jean Tremblay", roles=("coordinator",), email="jean@city.example",
                              preferred_locale="fr"),
        "admin": factory.staff("Priya Nair", roles=("admin",), email="priya@city.example"),
        "mentor": factory.staff("Sam Lee", email="sam@city.example"),
        "gone": factory.staff("Olu Ade", roles=("coordinator",), email="olu@city.example",
                              is_active=False),
        "caseworker": factory.agency_user(agency, "Ana Souza", email="ana@harbourview.example",
                                          preferred_locale="fr"),
        "agency": agency,
    }
    db.commit()
    return found


def refer(db, people, *, by_caseworker: bool = True, **changes):
    user = people["caseworker"] if by_caseworker else None
    referral = create_referral(db, Actor("agency", user.id if user else None),
                               agency_id=people["agency"].id, profile={**PROFILE, **changes},
                               consent=Consent("2026-1"),
                               referred_by_id=user.id if user else None)
    return referral


def messages(db) -> dict[str, OutboxMessage]:
    return {m.recipient.rsplit("<", 1)[-1].rstrip(">"): m
            for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))}


def test_each_active_coordinator_hears_of_a_new_referral_in_their_language(app, db,
                                                                          people) -> None:
    with app.test_request_context():
        referral = refer(db, people)
        assert notify_new_referral(db, referral) == 3
        db.commit()
        assert notify_new_referral(db, referral) == 0  # the same submission is told once
    sent = messages(db)
    assert sorted(sent) == ["amara@city.example", "jean@city.example", "priya@city.example"]
    english, french = sent["amara@city.example"], sent["jean@city.example"]
    assert english.subject == "New referral: Nguyễn Thị Lan from Harbourview Newcomer Services"
    assert english.locale == "en" and english.recipient == "Amara Okafor <amara@city.example>"
    assert "Hello Amara Okafor," in english.body_text
    assert f"http://localhost/mentoring/coordinator/referrals/{referral.id}" in english.body_text
    assert "Language level (CLB/NCLC) at the minimum: no" in english.body_text
    assert french.locale == "fr"
    assert french.subject == ("Nouvelle recommandation : Nguyễn Thị Lan, de Harbourview "
                              "Newcomer Services")
    assert "Bonjour Jean Tremblay," in french.body_text


@pytest.mark.kit_config(KIT_REFERRAL_DIGEST=True)
def test_with_the_digest_no_e_mail_goes_out_per_referral(app, db, people) -> None:
    with app.test_request_context():
        assert notify_new_referral(db, refer(db, people)) == 0
    assert db.query(OutboxMessage).count() == 0


def test_the_caseworker_hears_the_decision_in_their_language(app, db, people) -> None:
    with app.test_request_context():
        referral = refer(db, people)
        decide_referral(db, Actor("staff", people["amara"].id), referral_id=referral.id,
                        accept=False, reason_codes=["language_level", "missing_information"],
                        note="Merci d'ajouter le rapport CLB.")
        assert notify_decision(db, referral) is True
        db.commit()
    message = messages(db)["ana@harbourview.example"]
    assert message.locale == "fr" and message.recipient == "Ana Souza <ana@harbourview.example>"
    assert message.subject == "Recommandation de Nguyễn Thị Lan : Renvoyée à l'organisme"
    assert "Niveau de langue inférieur au minimum du programme" in message.body_text
    assert "Renseignements manquants" in message.body_text
    assert "Merci d'ajouter le rapport CLB." in message.body_text
    assert "Language level" not in message.body_text


def test_an_api_referral_is_answered_at_the_agencys_address(app, db, people) -> None:
    with app.test_request_context():
        referral = refer(db, people, by_caseworker=False)
        decide_referral(db, Actor("staff", people["amara"].id), referral_id=referral.id,
                        accept=True)
        assert notify_decision(db, referral) is True
        db.commit()
    message = messages(db)["intake@harbourview.example"]
    assert message.locale == "en"
    assert message.subject == "Referral of Nguyễn Thị Lan: Accepted"
    assert "accepted the referral of Nguyễn Thị Lan" in message.body_text


def test_nothing_is_told_before_a_decision(app, db, people) -> None:
    with app.test_request_context():
        assert notify_decision(db, refer(db, people)) is False
    assert db.query(OutboxMessage).count() == 0


@pytest.mark.kit_config(KIT_REFERRAL_DIGEST=True, SERVER_NAME="mentoring.city.example")
def test_the_digest_goes_once_a_day_to_each_coordinator(app, db, people, runner) -> None:
    refer(db, people)
    refer(db, people, given_name="Ana", family_name="Lima", email="ana.lima@mail.example")
    db.commit()
    first = runner.invoke(args=["kit", "referrals", "digest"])
    assert first.exit_code == 0, first.output
    assert "Queued 3 digests." in first.output
    again = runner.invoke(args=["kit", "referrals", "digest"])
    assert again.exit_code == 0 and "Queued 0 digests." in again.output
    sent = messages(db)
    assert sorted(sent) == ["amara@city.example", "jean@city.example", "priya@city.example"]
    english, french = sent["amara@city.example"], sent["jean@city.example"]
    assert english.subject == "New referrals: 2"
    assert french.subject == "Nouvelles recommandations : 2"
    assert "Nguyễn Thị Lan (Harbourview Newcomer Services)" in english.body_text
    assert "Ana Lima (Harbourview Newcomer Services)" in french.body_text
    assert "http://mentoring.city.example/mentoring/coordinator/referrals" in english.body_text
    assert "Bonjour Jean Tremblay," in french.body_text


@pytest.mark.kit_config(KIT_REFERRAL_DIGEST=True)
def test_the_digest_lists_only_the_last_days_referrals(app, db, people) -> None:
    old = refer(db, people)
    old.submitted_at = utcnow() - timedelta(days=2)
    db.commit()
    with app.test_request_context():
        assert send_digest(db) == 0
        refer(db, people, given_name="Ana", family_name="Lima", email="ana.lima@mail.example")
        assert send_digest(db) == 3
    assert all("Nguyễn" not in m.body_text for m in messages(db).values())


@pytest.mark.kit_config(KIT_REFERRAL_DIGEST=True)
def test_a_digest_without_server_name_has_no_wrong_link(db, people, runner) -> None:
    refer(db, people)
    db.commit()
    assert runner.invoke(args=["kit", "referrals", "digest"]).exit_code == 0
    assert all("http" not in m.body_text for m in messages(db).values())


def test_the_digest_command_does_nothing_when_the_option_is_off(db, people, runner) -> None:
    refer(db, people)
    db.commit()
    result = runner.invoke(args=["kit", "referrals", "digest"])
    assert result.exit_code == 0 and "KIT_REFERRAL_DIGEST is off" in result.output
    assert db.query(OutboxMessage).count() == 0


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


@pytest.fixture
def smtp_app(db_url: str, smtp: SMTPServer) -> Iterator[Flask]:
    application = make_app(db_url, KIT_MAIL_BACKEND="smtp", KIT_SMTP_HOST=smtp.host,
                           KIT_SMTP_PORT=smtp.port, KIT_SMTP_TIMEOUT=2,
                           KIT_MAIL_SENDER="careers@city.example")
    with application.app_context():
        Base.metadata.create_all(get_state().db.engine)
    yield application
    with application.app_context():
        get_state().db.session.remove()
        get_state().db.engine.dispose()


def test_a_decision_made_while_smtp_is_down_is_delivered_later(smtp_app, smtp) -> None:
    client, runner = smtp_app.test_client(), smtp_app.test_cli_runner()
    with smtp_app.app_context():
        db = get_state().db.session
        people = Factory(db)
        people.occupation("21300")
        coordinator = people.staff("Amara Okafor", roles=("coordinator",))
        caseworker = people.agency_user(people.agency("Harbourview"), "Ana Souza",
                                        email="ana@harbourview.example", preferred_locale="fr")
        db.commit()
        with smtp_app.test_request_context():
            referral = create_referral(db, Actor("agency", caseworker.id),
                                       agency_id=caseworker.agency_id, profile=PROFILE,
                                       consent=Consent("2026-1"), referred_by_id=caseworker.id)
            notify_new_referral(db, referral)
        db.commit()
        referral_id, coordinator_id = referral.id, coordinator.id

    smtp.stop()
    sign_in_as(client, "staff", coordinator_id)
    path = f"/mentoring/coordinator/referrals/{referral_id}"
    response = client.post(f"{path}/decision", data={
        "csrf_token": csrf_token(client, path), "refer_back": "1",
        "reasons": ["language_level"], "note": "Merci d'ajouter le rapport CLB."})
    assert response.status_code == 302

    down = runner.invoke(args=["kit", "outbox", "send"])
    assert down.exit_code == 1 and "could not be reached" in down.output
    with smtp_app.app_context():
        db = get_state().db.session
        queued = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(m.recipient, m.status) for m in queued] == [
            ("Amara Okafor <user1@city.example>", "pending"),
            ("Ana Souza <ana@harbourview.example>", "pending")]
        assert queued[0].attempts == 1 and queued[0].last_error  # the run stopped after one
        # A few minutes later (the retry is due) the mail server is back.
        db.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.commit()

    smtp.start()
    up = runner.invoke(args=["kit", "outbox", "send"])
    assert up.exit_code == 0, up.output
    assert "Sent 2" in up.output
    assert runner.invoke(args=["kit", "outbox", "send"]).output.startswith("Sent 0")
    assert len(smtp.messages) == 2
    assert smtp.messages[0].rcpt_tos == ("user1@city.example",)
    received = smtp.messages[1]
    assert received.rcpt_tos == ("ana@harbourview.example",)
    assert received.message["Subject"] == ("Recommandation de Nguyễn Thị Lan : Renvoyée à "
                                           "l'organisme")
    body = received.message.get_body(("plain",)).get_content()
    assert "Niveau de langue inférieur au minimum du programme" in body
    assert "Merci d'ajouter le rapport CLB." in body
    with smtp_app.app_context():
        statuses = get_state().db.session.scalars(select(OutboxMessage.status)).all()
        assert statuses == ["sent", "sent"]
