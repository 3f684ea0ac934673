"""Pages of an employee: their volunteering, matches, sessions and hours."""

from __future__ import annotations

from flask import Blueprint, render_template

from kit.auth.permissions import requires, signed_in
from kit.blueprints.staff import volunteer
from kit.db import db_session
from kit.services.dashboards import staff_dashboard


def create_blueprint() -> Blueprint:
    """The staff blueprint."""
    bp = Blueprint("kit_staff", __name__)
    bp.add_url_rule("/", "home", home)
    volunteer.register(bp)
    return bp


@requires("staff")
def home() -> str:
    """The employee's landing page."""
    return render_template("kit/staff/home.html",
                           board=staff_dashboard(db_session(), signed_in().id))
