"""The caseworker records the employment outcomes of the newcomers their agency referred.

Another agency's newcomer answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.followup_outcomes import outcome_page
from kit.db import db_session
from kit.services.audit import record_view, record_views
from kit.services.outcomes import agency_sees, matched_newcomers
from kit.state import get_state
from kit.web import page_number


def register(bp: Blueprint) -> None:
    """Add the outcome pages to the agency blueprint."""
    bp.add_url_rule("/outcomes", "outcomes", outcomes)
    bp.add_url_rule("/outcomes/<int:newcomer_id>", "outcome", outcome, methods=["GET", "POST"])


@requires("agency")
def outcomes() -> str:
    """Our referred newcomers whose match has closed, with how many follow-ups are recorded."""
    identity = signed_in()
    db = db_session()
    rows, pages = matched_newcomers(db, page_number(), get_state().config["KIT_PAGE_SIZE"],
                                    agency_id=identity.agency_id)
    # Rendered before the commit, which would expire every row the page shows.
    page_html = render_template("kit/agency/outcomes.html", rows=rows, pages=pages,
                                page=min(page_number(), pages))
    record_views(db, actor_of(identity), (n.id for n, _m, _o in rows), "list")
    db.commit()
    return page_html


@requires("agency")
def outcome(newcomer_id: int) -> str | Response | tuple[str, int]:
    """One of our newcomers' follow-ups; record one."""
    identity = signed_in()
    db = db_session()
    if not agency_sees(db, identity.agency_id, newcomer_id):
        abort(404)
    record_view(db, actor_of(identity), newcomer_id, "outcomes")
    db.commit()
    return outcome_page(newcomer_id, "kit/agency/outcome.html",
                        url_for("kit_agency.outcome", newcomer_id=newcomer_id))
