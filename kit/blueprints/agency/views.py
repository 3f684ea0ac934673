"""Pages of an agency caseworker."""

from __future__ import annotations

from flask import Blueprint, render_template

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.agency import files, referrals
from kit.blueprints.agency import outcomes as outcome_pages
from kit.db import db_session
from kit.services.audit import record_views
from kit.services.dashboards import agency_dashboard
from kit.state import get_state
from kit.web import page_number


def create_blueprint() -> Blueprint:
    """The agency blueprint."""
    bp = Blueprint("kit_agency", __name__)
    bp.add_url_rule("/", "home", home)
    referrals.register(bp)
    files.register(bp)
    outcome_pages.register(bp)
    return bp


@requires("agency")
def home() -> str:
    """The caseworker's landing page: their agency's referrals and where each one stands."""
    identity = signed_in()
    db = db_session()
    board = agency_dashboard(db, identity.agency_id, page_number(),
                             get_state().config["KIT_PAGE_SIZE"])
    record_views(db, actor_of(identity), (row.newcomer_id for row in board.referrals), "list")
    db.commit()
    return render_template("kit/agency/home.html", board=board)
