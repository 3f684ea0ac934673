"""Pages of the program coordinator."""

from __future__ import annotations

from flask import Blueprint, render_template

from kit.auth.permissions import requires
from kit.db import db_session
from kit.services.dashboards import coordinator_dashboard


def create_blueprint() -> Blueprint:
    """The coordinator blueprint."""
    bp = Blueprint("kit_coordinator", __name__)
    bp.add_url_rule("/", "home", home)
    return bp


@requires("coordinator")
def home() -> str:
    """The coordinator's landing page: what needs a decision, and how the program is doing."""
    return render_template("kit/coordinator/home.html", board=coordinator_dashboard(db_session()))
