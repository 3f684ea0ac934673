"""Monthly check-ins: sent once a month per respondent, answered, concerns flagged."""

from __future__ import annotations

from datetime import date

import pytest

from kit.models import CheckIn, NewcomerLink, OutboxMessage
from kit.services.audit import Actor
from kit.services.checkins import (
    CheckInAnswer,
    CheckInError,
    Mailer,
    answer_checkin,
    concerns,
    open_checkins,
    questions,
    resolve_concern,
    send_checkins,
)

TODAY = date(2026, 11, 20)
MAILER = Mailer(newcomer_url=lambda newcomer_id: f"https://city.example/link/{newcomer_id}",
                mentor_url=lambda: "https://city.example/staff/checkins")


@pytest.fixture
def match(factory, db):
    newcomer = factory.newcomer(preferred_locale="fr")
    match = factory.match(newcomer=newcomer, started_on=date(2026, 9, 1),
                          planned_end_on=date(2026, 12, 31))
    db.commit()
    return match


def send(app, db, today=TODAY) -> int:
    with app.test_request_context():
        count = send_checkins(db, MAILER, today)
    db.commit()
    return count


def test_each_active_match_gets_one_check_in_per_respondent_a_month(app, db, factory, match
                                                                    ) -> None:
    factory.match(status="proposed")
    factory.match(status="closed", closed_at=None)
    factory.match(started_on=date(2026, 12, 1), planned_end_on=date(2027, 3, 1))  # not yet
    assert send(app, db) == 2
    assert send(app, db) == 0  # the command runs again (cron, another host): nothing more
    rows = db.query(CheckIn).order_by(CheckIn.respondent).all()
    assert [(c.match_id, c.respondent, c.period_start) for c in rows] == [
        (match.id, "mentor", date(2026, 11, 1)), (match.id, "newcomer", date(2026, 11, 1))]
    mails = db.query(OutboxMessage).order_by(OutboxMessage.id).all()
    assert sorted(m.dedupe_key for m in mails) == [
        f"checkin:{match.id}:2026-11:mentor", f"checkin:{match.id}:2026-11:newcomer"]
    by_key = {m.dedupe_key.rsplit(":", 1)[1]: m for m in mails}
    assert by_key["newcomer"].locale == "fr"
    assert f"https://city.example/link/{match.newcomer_id}" in by_key["newcomer"].body_text
    assert "https://city.example/staff/checkins" in by_key["mentor"].body_text
    # Next month, new check-ins, also for the match that started meanwhile.
    assert send(app, db, date(2026, 12, 2)) == 4


def test_a_check_in_created_by_another_host_is_not_mailed_twice(app, db, match) -> None:
    db.add(CheckIn(match_id=match.id, respondent="mentor", period_start=date(2026, 11, 1)))
    db.commit()
    assert send(app, db) == 1


def answer(db, match, respondent="newcomer", **fields):
    [check_in] = open_checkins(db, respondent, match.newcomer_id if respondent == "newcomer"
                               else match.volunteer.staff_id)
    person = match.newcomer_id if respondent == "newcomer" else match.volunteer.staff_id
    fields.setdefault("satisfaction", 4)
    return answer_checkin(db, Actor(respondent if respondent == "newcomer" else "staff",
                                    person), check_in.id, respondent, person,
                          CheckInAnswer(**fields))


def test_an_answer_is_recorded_once(app, db, match) -> None:
    send(app, db)
    saved = answer(db, match, went_well="Visited a bridge site", answers={"goal": "Licence"})
    db.commit()
    assert (saved.satisfaction, saved.went_well, saved.answers, saved.has_concern) == (
        4, "Visited a bridge site", {"goal": "Licence"}, False)
    assert saved.is_answered and open_checkins(db, "newcomer", match.newcomer_id) == []
    with pytest.raises(CheckInError) as refused:
        answer_checkin(db, Actor("newcomer", match.newcomer_id), saved.id, "newcomer",
                       match.newcomer_id, CheckInAnswer(5))
    assert refused.value.code == "answered"


def test_only_the_respondent_may_answer(app, db, factory, match) -> None:
    send(app, db)
    [check_in] = open_checkins(db, "newcomer", match.newcomer_id)
    other = factory.newcomer("Someone", "Else")
    with pytest.raises(CheckInError) as refused:
        answer_checkin(db, Actor("newcomer", other.id), check_in.id, "newcomer", other.id,
                       CheckInAnswer(5))
    assert refused.value.code == "not_found"
    with pytest.raises(CheckInError):  # the mentor cannot answer the newcomer's check-in
        answer_checkin(db, Actor("staff", match.volunteer.staff_id), check_in.id, "mentor",
                       match.volunteer.staff_id, CheckInAnswer(5))


def test_a_concern_is_flagged_to_the_coordinator_until_resolved(app, db, factory, match
                                                                ) -> None:
    send(app, db)
    answer(db, match, "mentor", satisfaction=4)
    flagged = answer(db, match, concerns="My mentor cancelled twice")
    db.commit()
    assert flagged.has_concern
    rows, pages = concerns(db, 1, 10)
    assert (rows, pages) == ([flagged], 1)
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    resolve_concern(db, Actor("staff", coordinator.id), flagged.id)
    db.commit()
    assert concerns(db, 1, 10) == ([], 1)
    assert concerns(db, 1, 10, resolved=True)[0] == [flagged]
    assert flagged.concern_resolved_by_id == coordinator.id


def test_a_low_satisfaction_is_a_concern_even_without_words(app, db, match) -> None:
    send(app, db)
    assert answer(db, match, satisfaction=2).has_concern


@pytest.mark.kit_config(KIT_CHECKIN_QUESTIONS=[
    {"key": "goal", "text": {"en": "Your goal this month?", "fr": "Votre objectif du mois ?"}},
    {"key": "confidence", "text": "Confidence", "kind": "scale"}])
def test_extra_questions_come_from_the_configuration(app) -> None:
    from kit import get_state

    with app.app_context():
        found = questions(get_state().config, "fr")
    assert [(q.key, q.text, q.kind) for q in found] == [
        ("goal", "Votre objectif du mois ?", "text"), ("confidence", "Confidence", "scale")]


def test_the_newcomer_link_is_issued_only_for_mails_sent(app, db, match) -> None:
    from kit.cli.followup_links import newcomer_page_url

    with app.test_request_context():
        mailer = Mailer(newcomer_url=lambda n: newcomer_page_url(db, app.secret_key, n,
                                                                 "checkins"),
                        mentor_url=lambda: None)
        send_checkins(db, mailer, TODAY)
        send_checkins(db, mailer, TODAY)
    db.commit()
    assert db.query(NewcomerLink).count() == 1
