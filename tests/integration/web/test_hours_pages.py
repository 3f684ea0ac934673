"""Hours pages: the mentor logs and corrects hours, the newcomer and the coordinator confirm."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import csrf_token, sign_in_as

from kit.auth.newcomer_links import issue_link
from kit.models import HoursEntry, NewcomerLink

MINE = "/mentoring/staff/hours"
NEW = "/mentoring/staff/hours/new"
NEWCOMER = "/mentoring/newcomer/hours"
COORDINATOR = "/mentoring/coordinator/hours"
YESTERDAY = date.today() - timedelta(days=1)


@pytest.fixture
def match(factory, db):
    match = factory.match(target_hours=Decimal(24))
    db.commit()
    return match


@pytest.fixture
def mentor(match):
    return match.volunteer.staff


def as_newcomer(client, app, db, newcomer_id: int) -> None:
    """Sign in as a newcomer through a personal link, as their e-mail would."""
    issue_link(db, app.secret_key, newcomer_id, max_age_days=30)
    db.commit()
    link = db.query(NewcomerLink).filter_by(newcomer_id=newcomer_id).first()
    sign_in_as(client, "newcomer", newcomer_id, link.id)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def error_of(page: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    return found.group(1) if found else ""


def log(client, **changes):
    data = {"worked_on": YESTERDAY.isoformat(), "hours": "2", "category": "preparation",
            "match_id": "", "note": "", "csrf_token": csrf_token(client, NEW), **changes}
    return client.post(NEW, data=data)


def test_the_mentor_logs_hours_and_sees_totals_and_progress(client, db, mentor, match
                                                             ) -> None:
    sign_in_as(client, "staff", mentor.id)
    response = log(client, hours="1.5", category="correspondence", match_id=str(match.id),
                   note="Calls about the licence")
    assert response.status_code == 302 and response.location.endswith(MINE)
    saved = db.query(HoursEntry).one()
    assert (saved.hours, saved.category, saved.match_id, saved.status) == (
        Decimal("1.5"), "correspondence", match.id, "pending")
    page = text(client.get(MINE))
    assert "Calls about the licence" in page and "Awaiting confirmation" in page
    assert '<progress max="100" value="0"' in page
    saved.status = "confirmed"
    db.commit()
    assert '<progress max="100" value="6"' in text(client.get(MINE))


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"worked_on": (date.today() + timedelta(days=1)).isoformat()}, "worked_on",
     "has not come yet"),
    ({"hours": "0"}, "hours", "more than 0"),
    ({"hours": "lots"}, "hours", ""),
    ({"worked_on": ""}, "worked_on", "Enter the day"),
    ({"category": "session"}, "category", ""),
])
def test_a_wrong_entry_is_shown_again_with_its_field_error(client, db, mentor, changes, field,
                                                           message) -> None:
    sign_in_as(client, "staff", mentor.id)
    response = log(client, **changes)
    assert response.status_code == 422
    page = text(response)
    assert message in error_of(page, field) and error_of(page, field)
    assert db.query(HoursEntry).count() == 0


def test_more_than_24_hours_in_one_day_across_entries_is_refused(client, db, factory, mentor
                                                                 ) -> None:
    factory.hours(mentor, hours="20", worked_on=YESTERDAY)
    db.commit()
    sign_in_as(client, "staff", mentor.id)
    response = log(client, hours="5")
    assert response.status_code == 422
    assert "more than 24 hours" in error_of(text(response), "hours")
    assert log(client, hours="4").status_code == 302


def test_an_edit_keeps_the_earlier_values(client, db, factory, mentor) -> None:
    entry = factory.hours(mentor, hours="2", status="rejected", note="First try")
    db.commit()
    sign_in_as(client, "staff", mentor.id)
    edit = f"/mentoring/staff/hours/{entry.id}/edit"
    assert "First try" in text(client.get(edit))
    response = client.post(edit, data={
        "worked_on": YESTERDAY.isoformat(), "hours": "3", "category": "event", "match_id": "",
        "note": "Career fair", "csrf_token": csrf_token(client, edit)})
    assert response.status_code == 302
    page = text(client.get(edit))
    assert "Earlier values" in page and "First try" in page
    db.expire_all()
    assert (db.get(HoursEntry, entry.id).status, len(db.get(HoursEntry, entry.id).revisions)) == (
        "pending", 1)


def test_a_confirmed_entry_cannot_be_edited_nor_someone_elses(client, db, factory, mentor
                                                              ) -> None:
    confirmed = factory.hours(mentor, status="confirmed")
    theirs = factory.hours(factory.staff("Someone else"), status="pending")
    db.commit()
    sign_in_as(client, "staff", mentor.id)
    assert client.get(f"/mentoring/staff/hours/{confirmed.id}/edit").status_code == 302
    assert client.get(f"/mentoring/staff/hours/{theirs.id}/edit").status_code == 404


def test_the_newcomer_confirms_or_rejects_their_mentors_hours(client, app, db, factory, mentor,
                                                              match) -> None:
    right = factory.hours(mentor, match, hours="2", status="pending", note="Site visit")
    wrong = factory.hours(mentor, match, hours="5", status="pending",
                          worked_on=YESTERDAY - timedelta(days=1))
    db.commit()
    as_newcomer(client, app, db, match.newcomer_id)
    page = text(client.get(NEWCOMER))
    assert "Site visit" in page and "Zoë O'Brien" in page
    token = csrf_token(client, NEWCOMER)
    assert client.post(f"{NEWCOMER}/{right.id}/confirm",
                       data={"csrf_token": token}).status_code == 302
    response = client.post(f"{NEWCOMER}/{wrong.id}/reject",
                           data={f"r{wrong.id}-csrf_token": token, f"r{wrong.id}-reason": ""})
    assert response.status_code == 422
    assert "Say why" in error_of(text(response), f"r{wrong.id}-reason")
    assert client.post(f"{NEWCOMER}/{wrong.id}/reject", data={
        f"r{wrong.id}-csrf_token": token,
        f"r{wrong.id}-reason": "We met one hour"}).status_code == 302
    db.expire_all()
    assert (db.get(HoursEntry, right.id).status, db.get(HoursEntry, right.id).confirmed_by_kind
            ) == ("confirmed", "newcomer")
    assert db.get(HoursEntry, wrong.id).rejection_reason == "We met one hour"


def test_a_newcomer_cannot_confirm_another_newcomers_hours(client, app, db, factory, mentor, match
                                                           ) -> None:
    entry = factory.hours(mentor, match, status="pending")
    other = factory.newcomer("Someone", "Else")
    db.commit()
    as_newcomer(client, app, db, other.id)
    response = client.post(f"{NEWCOMER}/{entry.id}/confirm",
                           data={"csrf_token": csrf_token(client, NEWCOMER)})
    assert response.status_code == 404
    db.expire_all()
    assert db.get(HoursEntry, entry.id).status == "pending"


def test_the_coordinator_confirms_pending_hours(client, db, factory, mentor, match) -> None:
    entry = factory.hours(mentor, match, status="pending", note="Team meeting")
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    db.commit()
    sign_in_as(client, "staff", coordinator.id)
    assert "Team meeting" in text(client.get(COORDINATOR))
    response = client.post(f"{COORDINATOR}/{entry.id}/confirm",
                           data={"csrf_token": csrf_token(client, COORDINATOR)})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(HoursEntry, entry.id).confirmed_by_id == coordinator.id


def test_a_missing_csrf_token_is_refused(client, app, db, factory, mentor, match) -> None:
    entry = factory.hours(mentor, match, status="pending")
    db.commit()
    as_newcomer(client, app, db, match.newcomer_id)
    assert client.post(f"{NEWCOMER}/{entry.id}/confirm").status_code == 400


@pytest.mark.parametrize(("kind", "path"), [
    ("newcomer", MINE), ("newcomer", NEW), ("staff", COORDINATOR), ("staff", NEWCOMER),
])
def test_the_wrong_role_gets_403(client, app, db, factory, match, kind, path) -> None:
    if kind == "newcomer":
        as_newcomer(client, app, db, match.newcomer_id)
    else:
        person = factory.staff("Plain employee")
        db.commit()
        sign_in_as(client, kind, person.id)
    assert client.get(path).status_code == 403


def test_the_coordinators_list_is_audited_and_a_rejection_reason_shown_to_the_mentor(
        client, db, factory, mentor, match) -> None:
    from kit.models import AuditEvent

    entry = factory.hours(mentor, match, status="pending")
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    db.commit()
    sign_in_as(client, "staff", coordinator.id)
    client.get(COORDINATOR)
    assert db.query(AuditEvent).filter_by(action="newcomer.viewed",
                                          subject_id=str(match.newcomer_id)).count() == 1
    response = client.post(f"{COORDINATOR}/{entry.id}/reject", data={
        f"r{entry.id}-csrf_token": csrf_token(client, COORDINATOR),
        f"r{entry.id}-reason": "Counted twice"})
    assert response.status_code == 302
    sign_in_as(client, "staff", mentor.id)
    assert "Counted twice" in text(client.get(f"/mentoring/staff/hours/{entry.id}/edit"))
