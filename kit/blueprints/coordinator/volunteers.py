"""The coordinator's list of volunteers: approve an offer to mentor, or pause it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.coordinator.forms import ButtonForm
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.volunteers import (
    VOLUNTEER_SORTS,
    VolunteerError,
    approve_volunteer,
    list_volunteers,
    pause_volunteer,
)
from kit.state import get_state
from kit.web import keep_sort, page_number, sort_order


def register(bp: Blueprint) -> None:
    """Add the volunteers' pages to the coordinator blueprint."""
    bp.add_url_rule("/volunteers", "volunteers", volunteers)
    bp.add_url_rule("/volunteers/<int:volunteer_id>/approve", "approve_volunteer", approve,
                    methods=["POST"])
    bp.add_url_rule("/volunteers/<int:volunteer_id>/pause", "pause_volunteer", pause,
                    methods=["POST"])
    # The pager's links of the coordinator's sortable lists keep their order.
    bp.url_defaults(keep_sort)


@requires("coordinator")
def volunteers() -> str:
    """Every volunteer, those awaiting approval first, with what matters for matching."""
    order = sort_order(VOLUNTEER_SORTS, "status")
    rows, pages = list_volunteers(db_session(), page_number(),
                                  get_state().config["KIT_PAGE_SIZE"], sort=order.column,
                                  descending=order.descending)
    config = get_state().config
    return render_template("kit/coordinator/volunteers.html", rows=rows, pages=pages,
                           page=min(page_number(), pages), button=ButtonForm(), order=order,
                           manager_approval=config["KIT_MANAGER_APPROVAL"])


def _change(volunteer_id: int, approve_it: bool) -> Response:
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    change = approve_volunteer if approve_it else pause_volunteer
    try:
        profile = change(db, actor_of(signed_in()), volunteer_id)
    except VolunteerError as error:
        db.rollback()
        if error.code == "not_found":
            abort(404)
        flash(_("This offer's status changed meanwhile; nothing was done."), "error")
        return redirect(url_for(".volunteers"))
    db.commit()
    name = profile.display_name
    flash(_("%(name)s is approved as a mentor.", name=name) if approve_it else
          _("The offer of %(name)s is paused: no match is proposed to them, and it needs your "
            "approval again when they resume.", name=name), "info")
    return redirect(url_for(".volunteers"))


@requires("coordinator")
def approve(volunteer_id: int) -> Response:
    """Approve an offer awaiting approval (or paused): the volunteer can now be matched."""
    return _change(volunteer_id, approve_it=True)


@requires("coordinator")
def pause(volunteer_id: int) -> Response:
    """Pause an offer: no match is proposed until the volunteer is approved again."""
    return _change(volunteer_id, approve_it=False)
