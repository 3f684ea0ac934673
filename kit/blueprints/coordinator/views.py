"""Pages of the program coordinator."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.coordinator import checkins as checkin_pages
from kit.blueprints.coordinator import cohorts as cohort_pages
from kit.blueprints.coordinator import connectors as connector_pages
from kit.blueprints.coordinator import hours as hours_pages
from kit.blueprints.coordinator import matching as matching_pages
from kit.blueprints.coordinator import outcomes as outcome_pages
from kit.blueprints.coordinator import pace as pace_pages
from kit.blueprints.coordinator import privacy, referrals, volunteers
from kit.blueprints.coordinator import recognition as recognition_pages
from kit.blueprints.coordinator.forms import ButtonForm
from kit.config import localized
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.audit import record_views
from kit.services.dashboards import coordinator_dashboard
from kit.services.newcomer_access import (
    NEWCOMER_SORTS,
    list_newcomers,
    revoke_newcomer_links,
    send_newcomer_link,
)
from kit.state import get_state
from kit.web import page_number, sort_order


def create_blueprint() -> Blueprint:
    """The coordinator blueprint."""
    bp = Blueprint("kit_coordinator", __name__)
    bp.add_url_rule("/", "home", home)
    bp.add_url_rule("/newcomers", "newcomers", newcomers)
    bp.add_url_rule("/newcomers/<int:newcomer_id>/link", "send_link", send_link,
                    methods=["POST"])
    bp.add_url_rule("/newcomers/<int:newcomer_id>/revoke", "revoke_links", revoke_links,
                    methods=["POST"])
    referrals.register(bp)
    privacy.register(bp)
    volunteers.register(bp)
    matching_pages.register(bp)
    cohort_pages.register(bp)
    hours_pages.register(bp)
    checkin_pages.register(bp)
    connector_pages.register(bp)
    outcome_pages.register(bp)
    recognition_pages.register(bp)
    pace_pages.register(bp)
    return bp


@requires("coordinator")
def home() -> str:
    """The coordinator's landing page: what needs a decision, and how the program is doing."""
    db = db_session()
    board = coordinator_dashboard(db)
    record_views(db, actor_of(signed_in()),
                 (row.newcomer_id for row in board.awaiting_decision), "list")
    db.commit()
    return render_template("kit/coordinator/home.html", board=board)


@requires("coordinator")
def newcomers() -> str:
    """Every newcomer with their agency, referral status and personal links."""
    db = db_session()
    order = sort_order(NEWCOMER_SORTS, "name")
    rows, pages = list_newcomers(db, page_number(), get_state().config["KIT_PAGE_SIZE"],
                                 sort=order.column, descending=order.descending)
    record_views(db, actor_of(signed_in()), (row.id for row in rows), "list")
    db.commit()
    return render_template("kit/coordinator/newcomers.html", rows=rows, pages=pages,
                           page=min(page_number(), pages), button=ButtonForm(), order=order)


@requires("coordinator")
def send_link(newcomer_id: int) -> Response:
    """E-mail the newcomer a new personal link."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    config = get_state().config
    newcomer = send_newcomer_link(
        db_session(), actor_of(signed_in()), current_app.secret_key, newcomer_id=newcomer_id,
        link_url=lambda token: url_for("kit_newcomer.open_link", token=token, _external=True),
        program_name=lambda locale: localized(config["KIT_PROGRAM_NAME"], locale),
        max_age_days=config["KIT_NEWCOMER_LINK_MAX_AGE_DAYS"])
    if newcomer is None:
        abort(404)
    flash(_("A new personal link is on its way to %(email)s.", email=newcomer.email), "info")
    return redirect(url_for("kit_coordinator.newcomers"))


@requires("coordinator")
def revoke_links(newcomer_id: int) -> Response:
    """Revoke every personal link of a newcomer at once (a lost phone, a shared link)."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    count = revoke_newcomer_links(db_session(), actor_of(signed_in()), newcomer_id)
    flash(_("%(count)d links revoked: they no longer open anything.", count=count), "info")
    return redirect(url_for("kit_coordinator.newcomers"))
