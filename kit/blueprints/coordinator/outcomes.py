"""The coordinator's follow-ups of employment outcomes, for any newcomer."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.followup_outcomes import outcome_page
from kit.db import db_session
from kit.models import Newcomer
from kit.services.audit import record_view, record_views
from kit.services.outcomes import matched_newcomers
from kit.state import get_state
from kit.web import page_number


def register(bp: Blueprint) -> None:
    """Add the outcome pages to the coordinator blueprint."""
    bp.add_url_rule("/outcomes", "outcomes", outcomes)
    bp.add_url_rule("/outcomes/<int:newcomer_id>", "outcome", outcome, methods=["GET", "POST"])


@requires("coordinator")
def outcomes() -> str:
    """Newcomers whose match has closed, with how many follow-ups are recorded."""
    db = db_session()
    rows, pages = matched_newcomers(db, page_number(), get_state().config["KIT_PAGE_SIZE"])
    # Rendered before the commit, which would expire every row the page shows.
    page_html = render_template("kit/coordinator/outcomes.html", rows=rows, pages=pages,
                                page=min(page_number(), pages))
    record_views(db, actor_of(signed_in()), (n.id for n, _m, _o in rows), "list")
    db.commit()
    return page_html


@requires("coordinator")
def outcome(newcomer_id: int) -> str | Response | tuple[str, int]:
    """A newcomer's follow-ups; record one."""
    db = db_session()
    if db.get(Newcomer, newcomer_id) is None:
        abort(404)
    record_view(db, actor_of(signed_in()), newcomer_id, "outcomes")
    db.commit()
    return outcome_page(newcomer_id, "kit/coordinator/outcome.html",
                        url_for("kit_coordinator.outcome", newcomer_id=newcomer_id))
