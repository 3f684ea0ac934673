"""Pages of a newcomer, who enters through a personal signed link."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import sign_in
from kit.auth.newcomer_links import open_link
from kit.auth.permissions import public, requires, signed_in
from kit.blueprints.newcomer import checkins as checkin_pages
from kit.blueprints.newcomer import group_events as group_event_pages
from kit.blueprints.newcomer import hours as hours_pages
from kit.blueprints.newcomer import matches as match_pages
from kit.blueprints.newcomer import outcomes as outcome_pages
from kit.blueprints.newcomer import sessions as session_pages
from kit.db import db_session
from kit.services.dashboards import newcomer_dashboard


def create_blueprint() -> Blueprint:
    """The newcomer blueprint."""
    bp = Blueprint("kit_newcomer", __name__)
    bp.add_url_rule("/", "home", home)
    bp.add_url_rule("/link/<token>", "open_link", open_link_view)
    match_pages.register(bp)
    hours_pages.register(bp)
    checkin_pages.register(bp)
    group_event_pages.register(bp)
    outcome_pages.register(bp)
    session_pages.register(bp)
    return bp


@public
def open_link_view(token: str) -> Response | tuple[str, int]:
    """Enter through a personal link; a broken, expired or revoked link says so."""
    db = db_session()
    link = open_link(db, current_app.secret_key, token)
    if link is None:
        return render_template("kit/newcomer/link_invalid.html"), 404
    sign_in("newcomer", link.newcomer_id, link_id=link.id)
    db.commit()
    return redirect(url_for("kit_newcomer.home"))


@requires("newcomer")
def home() -> str:
    """The newcomer's landing page: their mentor, next sessions and what to confirm."""
    return render_template("kit/newcomer/home.html",
                           board=newcomer_dashboard(db_session(), signed_in().id))
