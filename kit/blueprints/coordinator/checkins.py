"""Concerns raised in monthly check-ins, for the coordinator to follow up and resolve."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.followup_forms import ButtonForm
from kit.db import db_session
from kit.i18n import current_locale
from kit.i18n import gettext as _
from kit.services.audit import record_views
from kit.services.checkins import CheckInError, concerns, questions, resolve_concern
from kit.state import get_state
from kit.web import page_number


def register(bp: Blueprint) -> None:
    """Add the concerns pages to the coordinator blueprint."""
    bp.add_url_rule("/checkins/concerns", "concerns", concerns_page)
    bp.add_url_rule("/checkins/<int:check_in_id>/resolve", "resolve_concern", resolve,
                    methods=["POST"])


@requires("coordinator")
def concerns_page() -> str:
    """Check-ins flagged with a concern; ``?resolved=1`` shows the resolved ones."""
    resolved = request.args.get("resolved") == "1"
    db = db_session()
    rows, pages = concerns(db, page_number(), get_state().config["KIT_PAGE_SIZE"],
                           resolved=resolved)
    extra = {q.key: q.text for q in questions(get_state().config, current_locale())}
    # Rendered before the commit, which would expire every row the page shows.
    page_html = render_template("kit/coordinator/concerns.html", rows=rows, pages=pages,
                                page=min(page_number(), pages), resolved=resolved,
                                button=ButtonForm(), questions=extra)
    record_views(db, actor_of(signed_in()), (c.match.newcomer_id for c in rows), "check-in")
    db.commit()
    return page_html


@requires("coordinator")
def resolve(check_in_id: int) -> Response:
    """Mark a concern as dealt with."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    try:
        resolve_concern(db, actor_of(signed_in()), check_in_id)
    except CheckInError:
        db.rollback()
        abort(404)
    db.commit()
    flash(_("The concern is marked as resolved."), "info")
    return redirect(url_for(".concerns"))
