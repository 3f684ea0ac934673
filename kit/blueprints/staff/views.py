"""Pages of an employee: their volunteering, matches, sessions and hours."""

from __future__ import annotations

from flask import Blueprint, render_template

from kit.auth.permissions import requires, signed_in
from kit.blueprints.staff import calendar as calendar_pages
from kit.blueprints.staff import checkins as checkin_pages
from kit.blueprints.staff import connector as connector_pages
from kit.blueprints.staff import group_events as group_event_pages
from kit.blueprints.staff import hours as hours_pages
from kit.blueprints.staff import matches as match_pages
from kit.blueprints.staff import sessions as session_pages
from kit.blueprints.staff import volunteer
from kit.db import db_session
from kit.services.dashboards import staff_dashboard


def create_blueprint() -> Blueprint:
    """The staff blueprint."""
    bp = Blueprint("kit_staff", __name__)
    bp.add_url_rule("/", "home", home)
    volunteer.register(bp)
    match_pages.register(bp)
    session_pages.register(bp)
    calendar_pages.register(bp)
    hours_pages.register(bp)
    checkin_pages.register(bp)
    connector_pages.register(bp)
    group_event_pages.register(bp)
    return bp


@requires("staff")
def home() -> str:
    """The employee's landing page."""
    return render_template("kit/staff/home.html",
                           board=staff_dashboard(db_session(), signed_in().id))
