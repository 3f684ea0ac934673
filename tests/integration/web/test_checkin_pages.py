"""Check-in pages: the monthly command, answering by link or signed in, the concerns list."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from conftest import csrf_token, sign_in_as

from kit.auth.newcomer_links import issue_link
from kit.models import CheckIn, NewcomerLink, OutboxMessage

STAFF = "/mentoring/staff/checkins"
NEWCOMER = "/mentoring/newcomer/checkins"
CONCERNS = "/mentoring/coordinator/checkins/concerns"


@pytest.fixture
def match(factory, db):
    match = factory.match(newcomer=factory.newcomer(preferred_locale="fr"))
    db.commit()
    return match


def as_newcomer(client, app, db, newcomer_id: int) -> None:
    """Sign in as a newcomer through a personal link, as their e-mail would."""
    issue_link(db, app.secret_key, newcomer_id, max_age_days=30)
    db.commit()
    link = db.query(NewcomerLink).filter_by(newcomer_id=newcomer_id).first()
    sign_in_as(client, "newcomer", newcomer_id, link.id)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def open_check_in(db, match, respondent: str) -> CheckIn:
    check_in = CheckIn(match_id=match.id, respondent=respondent,
                       period_start=date.today().replace(day=1))
    db.add(check_in)
    db.commit()
    return check_in


@pytest.mark.kit_config(SERVER_NAME="city.example")
def test_the_monthly_command_sends_each_link_once(runner, app, db, match, client) -> None:
    first = runner.invoke(args=["kit", "checkins", "send"])
    assert first.exit_code == 0, first.output
    assert "Queued 2" in first.output
    again = runner.invoke(args=["kit", "checkins", "send"])
    assert "Queued 0" in again.output
    assert db.query(CheckIn).count() == 2 and db.query(OutboxMessage).count() == 2
    newcomer_mail = db.query(OutboxMessage).filter(
        OutboxMessage.dedupe_key.endswith(":newcomer")).one()
    link = re.search(r"http://city.example(/mentoring/newcomer/link/\S+/checkins)",
                     newcomer_mail.body_text)
    assert link, newcomer_mail.body_text
    # The personal link signs the newcomer in and opens the check-in.
    response = client.get(link.group(1))
    assert response.status_code == 302 and response.location.endswith(NEWCOMER)
    assert "Zoë O'Brien" in text(client.get(NEWCOMER))
    mentor_mail = db.query(OutboxMessage).filter(
        OutboxMessage.dedupe_key.endswith(":mentor")).one()
    assert "http://city.example/mentoring/staff/checkins" in mentor_mail.body_text


@pytest.mark.kit_config(KIT_CHECKIN_QUESTIONS=[
    {"key": "goal", "text": {"en": "Progress on your goal?", "fr": "Progrès vers votre but ?"}},
    {"key": "confidence", "text": "Confidence", "kind": "scale"}])
def test_the_newcomer_answers_with_the_extra_questions(client, app, db, match) -> None:
    check_in = open_check_in(db, match, "newcomer")
    as_newcomer(client, app, db, match.newcomer_id)
    page = text(client.get(NEWCOMER))
    # In the newcomer's language.
    assert "Progrès vers votre but ?" in page and "Confidence" in page
    prefix = f"c{check_in.id}-"
    response = client.post(f"{NEWCOMER}/{check_in.id}", data={
        prefix + "csrf_token": csrf_token(client, NEWCOMER),
        prefix + "satisfaction": "5", prefix + "went_well": "A day on a bridge site",
        prefix + "concerns": "", prefix + "q_goal": "Applied to the OIQ",
        prefix + "q_confidence": "4"})
    assert response.status_code == 302
    db.expire_all()
    saved = db.get(CheckIn, check_in.id)
    assert (saved.satisfaction, saved.answers, saved.has_concern) == (
        5, {"goal": "Applied to the OIQ", "confidence": 4}, False)
    assert "Aucun suivi à remplir" in text(client.get(NEWCOMER))  # the newcomer reads French


def test_a_missing_satisfaction_is_shown_again_with_422(client, db, match) -> None:
    check_in = open_check_in(db, match, "mentor")
    sign_in_as(client, "staff", match.volunteer.staff_id)
    prefix = f"c{check_in.id}-"
    response = client.post(f"{STAFF}/{check_in.id}", data={
        prefix + "csrf_token": csrf_token(client, STAFF),
        prefix + "went_well": "Kept for the next try"})
    assert response.status_code == 422
    page = text(response)
    assert "Choose from 1 to 5." in page and "Kept for the next try" in page


def test_a_concern_reaches_the_coordinator_who_resolves_it(client, db, factory, match) -> None:
    check_in = open_check_in(db, match, "mentor")
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    db.commit()
    sign_in_as(client, "staff", match.volunteer.staff_id)
    prefix = f"c{check_in.id}-"
    assert client.post(f"{STAFF}/{check_in.id}", data={
        prefix + "csrf_token": csrf_token(client, STAFF),
        prefix + "satisfaction": "3",
        prefix + "concerns": "The newcomer missed two sessions"}).status_code == 302
    sign_in_as(client, "staff", coordinator.id)
    page = text(client.get(CONCERNS))
    assert "The newcomer missed two sessions" in page
    assert client.post(f"/mentoring/coordinator/checkins/{check_in.id}/resolve",
                       data={"csrf_token": csrf_token(client, CONCERNS)}).status_code == 302
    assert "The newcomer missed two sessions" not in text(client.get(CONCERNS))
    assert "The newcomer missed two sessions" in text(client.get(CONCERNS + "?resolved=1"))


def test_someone_elses_check_in_is_not_found(client, db, factory, match) -> None:
    check_in = open_check_in(db, match, "mentor")
    other = factory.staff("Another mentor")
    db.commit()
    sign_in_as(client, "staff", other.id)
    prefix = f"c{check_in.id}-"
    response = client.post(f"{STAFF}/{check_in.id}", data={
        prefix + "csrf_token": csrf_token(client, STAFF),
        prefix + "satisfaction": "5"})
    assert response.status_code == 404


@pytest.mark.parametrize(("kind", "path"), [
    ("newcomer", STAFF), ("staff", NEWCOMER), ("staff", CONCERNS), ("newcomer", CONCERNS)])
def test_the_wrong_role_gets_403(client, app, db, factory, match, kind, path) -> None:
    if kind == "newcomer":
        as_newcomer(client, app, db, match.newcomer_id)
    else:
        person = factory.staff("Plain employee")
        db.commit()
        sign_in_as(client, "staff", person.id)
    assert client.get(path).status_code == 403
