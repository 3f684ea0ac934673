"""The "Volunteer as a mentor" card a host places on its own pages: ``{{ kit_volunteer_card() }}``.

It links to the offer form and tells a signed-in employee where their offer stands.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import pytest
from conftest import sign_in_as
from flask import render_template_string

from kit import get_state
from kit.models import Base

CITYHALL = Path(__file__).resolve().parents[3] / "examples" / "cityhall"
HOST_PAGE = "<main>{{ kit_volunteer_card(class_='host-card', heading_level=3) }}</main>"


@pytest.fixture
def host_page(app):
    """A page of the host's own, outside the kit's blueprints, that shows the card."""
    app.add_url_rule("/home", "host_home", lambda: render_template_string(HOST_PAGE))
    return "/home"


def card(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    return page.split("<main>", 1)[1].split("</main>", 1)[0].strip()


def test_a_visitor_is_invited_to_offer(client, host_page) -> None:
    shown = card(client, host_page)
    assert '<section class="kit-volunteer-card host-card"' in shown
    assert '<h3 id="kit-volunteer-card-title">Volunteer as a mentor</h3>' in shown
    assert 'href="/mentoring/staff/volunteer">Offer to mentor</a>' in shown
    assert 'data-kit-state="anonymous"' in shown


def test_an_employee_sees_where_their_offer_stands(client, host_page, factory, db) -> None:
    staff = factory.staff("Wen Li")
    db.commit()
    sign_in_as(client, "staff", staff.id)
    shown = card(client, host_page)
    assert 'data-kit-state="none"' in shown and "Offer to mentor" in shown

    profile = factory.volunteer(staff, status="pending")
    db.commit()
    shown = card(client, host_page)
    assert "Awaiting approval" in shown and "awaits the program coordinator's approval" in shown
    assert 'href="/mentoring/staff/">See my volunteering</a>' in shown

    profile.status = "approved"
    db.commit()
    shown = card(client, host_page)
    assert "Approved" in shown and "You are an approved mentor. Thank you!" in shown

    profile.status = "paused"
    db.commit()
    assert "Resume or change my offer" in card(client, host_page)

    profile.status = "withdrawn"
    db.commit()
    assert 'href="/mentoring/staff/volunteer">Volunteer again</a>' in card(client, host_page)


def test_caseworkers_see_no_card(client, host_page, factory, db) -> None:
    caseworker = factory.agency_user()
    db.commit()
    sign_in_as(client, "agency", caseworker.id)
    assert card(client, host_page) == ""


@pytest.mark.kit_config(KIT_BLUEPRINTS=("agency", "api"))
def test_no_card_without_the_staff_pages(client, host_page) -> None:
    assert card(client, host_page) == ""


def test_the_card_speaks_french(client, host_page) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr-CA,fr;q=0.9"
    shown = card(client, host_page)
    assert ">Devenir mentor bénévole</h3>" in shown and ">Offrir mon mentorat</a>" in shown


def test_the_city_hall_home_page_shows_the_card(db_url) -> None:
    sys.path.insert(0, str(CITYHALL))
    try:
        from cityhall import create_app
        from cityhall.config import TestingConfig

        app = create_app(type("Config", (TestingConfig,), {"KIT_DATABASE_URI": db_url}))
    finally:
        sys.path.remove(str(CITYHALL))
    with app.app_context():
        Base.metadata.create_all(get_state().db.engine)
        client = app.test_client()
        page = html.unescape(client.get("/").get_data(as_text=True))
        assert '<section class="kit-volunteer-card ch-card"' in page
        assert 'href="/mentoring/staff/volunteer">Offer to mentor</a>' in page
        assert "/mentoring/static/kit.css" in page
        get_state().db.session.remove()
        get_state().db.engine.dispose()
