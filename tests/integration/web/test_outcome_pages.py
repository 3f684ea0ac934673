"""Outcome pages: the newcomer by link, the referring agency and the coordinator record them."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import csrf_token, sign_in_as

from kit.auth.newcomer_links import issue_link
from kit.models import NewcomerLink, OutboxMessage, Outcome

NEWCOMER = "/mentoring/newcomer/outcomes"
AGENCY = "/mentoring/agency/outcomes"
COORDINATOR = "/mentoring/coordinator/outcomes"


@pytest.fixture
def match(factory, db):
    factory.occupation("21300")
    closed = datetime.now(UTC) - timedelta(days=100)
    match = factory.match(status="closed", close_reason="completed", closed_at=closed,
                          started_on=closed.date() - timedelta(days=120))
    db.commit()
    return match


@pytest.fixture
def agency(factory, db, match):
    agency = factory.agency("Harbourview Newcomer Services")
    factory.referral(match.newcomer, agency, status="accepted")
    caseworker = factory.agency_user(agency)
    db.commit()
    return caseworker


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


def report(client, path, match, interval="3m", **changes):
    data = {"interval": f"{match.id}:{interval}", "status": "employed_in_field",
            "employed_since": (date.today() - timedelta(days=10)).isoformat(),
            "noc_code": "21300", "csrf_token": csrf_token(client, path), **changes}
    return client.post(path, data=data)


def test_the_newcomer_reports_through_their_link(client, app, db, match) -> None:
    as_newcomer(client, app, db, match.newcomer_id)
    page = text(client.get(NEWCOMER))
    assert "3 months after" in page and "12 months after" in page
    response = report(client, NEWCOMER, match)
    assert response.status_code == 302
    saved = db.query(Outcome).one()
    assert (saved.interval, saved.status, saved.noc_code, saved.actor_kind) == (
        "3m", "employed_in_field", "21300", "newcomer")
    assert "Civil engineers" in text(client.get(NEWCOMER))


@pytest.mark.parametrize(("changes", "field"), [
    ({"employed_since": ""}, "employed_since"),
    ({"employed_since": (date.today() + timedelta(days=3)).isoformat()}, "employed_since"),
    ({"noc_code": "99999"}, "noc_code"),
    ({"interval": "0:close"}, "interval"),
    ({"status": "retired"}, "status"),
])
def test_a_wrong_outcome_is_shown_again_with_422(client, app, db, match, changes, field
                                                 ) -> None:
    as_newcomer(client, app, db, match.newcomer_id)
    response = report(client, NEWCOMER, match, **changes)
    assert response.status_code == 422
    assert error_of(text(response), field)
    assert db.query(Outcome).count() == 0


def test_a_follow_up_not_due_yet_is_not_offered(client, app, db, match) -> None:
    as_newcomer(client, app, db, match.newcomer_id)
    assert report(client, NEWCOMER, match, interval="6m").status_code == 422


def test_the_agency_records_outcomes_of_its_own_newcomers_only(client, db, factory, match,
                                                              agency) -> None:
    sign_in_as(client, "agency", agency.id)
    assert match.newcomer.display_name in text(client.get(AGENCY))
    path = f"{AGENCY}/{match.newcomer_id}"
    assert report(client, path, match, interval="close", status="searching",
                  employed_since="", noc_code="").status_code == 302
    assert db.query(Outcome).one().actor_kind == "agency"
    other = factory.match(factory.volunteer(factory.staff("Mentor 2")),
                          factory.newcomer("Amina", "Haddad"), status="closed",
                          close_reason="completed", closed_at=datetime.now(UTC))
    factory.referral(other.newcomer, factory.agency("Elsewhere"), status="accepted")
    db.commit()
    assert other.newcomer.display_name not in text(client.get(AGENCY))
    assert client.get(f"{AGENCY}/{other.newcomer_id}").status_code == 404
    assert report(client, f"{AGENCY}/{other.newcomer_id}", match).status_code == 404


def test_the_coordinator_records_for_any_newcomer(client, db, factory, match) -> None:
    coordinator = factory.staff("Amara Okafor", roles=("coordinator",))
    db.commit()
    sign_in_as(client, "staff", coordinator.id)
    assert match.newcomer.display_name in text(client.get(COORDINATOR))
    path = f"{COORDINATOR}/{match.newcomer_id}"
    assert report(client, path, match, status="in_school", employed_since="",
                  noc_code="").status_code == 302
    assert db.query(Outcome).one().status == "in_school"


@pytest.mark.kit_config(SERVER_NAME="city.example")
def test_the_follow_up_command_asks_once(runner, db, match) -> None:
    assert "Queued 1" in runner.invoke(args=["kit", "outcomes", "request"]).output
    assert "Queued 0" in runner.invoke(args=["kit", "outcomes", "request"]).output
    mail = db.query(OutboxMessage).one()
    assert mail.dedupe_key == f"outcome:{match.id}:3m"
    assert "/mentoring/newcomer/link/" in mail.body_text and "/outcomes" in mail.body_text


@pytest.mark.parametrize(("kind", "path"), [
    ("staff", NEWCOMER), ("staff", AGENCY), ("agency", COORDINATOR), ("newcomer", AGENCY)])
def test_the_wrong_role_gets_403(client, app, db, factory, match, agency, kind, path) -> None:
    if kind == "newcomer":
        as_newcomer(client, app, db, match.newcomer_id)
    elif kind == "agency":
        sign_in_as(client, "agency", agency.id)
    else:
        person = factory.staff("Plain employee")
        db.commit()
        sign_in_as(client, "staff", person.id)
    assert client.get(path).status_code == 403
