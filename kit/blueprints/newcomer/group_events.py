"""Group mentoring events for a newcomer: the open events, register, cancel, waiting list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.group_events import (
    GroupEventError,
    cancel_registration,
    open_events,
)
from kit.services.group_events import (
    register as register_for,
)
from kit.services.session_conflicts import SessionConflict


class ButtonForm(FlaskForm):
    """A register or cancel button: a POST with a CSRF token."""


def register(bp: Blueprint) -> None:
    """Add the group-event pages to the newcomer blueprint."""
    bp.add_url_rule("/group-events", "group_events", events)
    bp.add_url_rule("/group-events/<int:event_id>/register", "register_group_event",
                    register_view, methods=["POST"])
    bp.add_url_rule("/group-events/<int:event_id>/cancel", "cancel_group_event",
                    cancel_view, methods=["POST"])


def _page(status: int = 200, message: str | None = None) -> tuple[str, int]:
    return render_template("kit/newcomer/group_events.html",
                           rows=open_events(db_session(), signed_in().id),
                           button=ButtonForm(formdata=None), message=message), status


@requires("newcomer")
def events() -> tuple[str, int]:
    """Upcoming group events with seats left, and the newcomer's own registrations."""
    return _page()


def _refused(error: GroupEventError) -> tuple[str, int]:
    db_session().rollback()
    if error.code == "not_found":
        abort(404)
    if error.code == "forbidden":
        abort(403)
    messages = {
        "closed": _("This event has started or was cancelled."),
        "already_registered": _("You are already registered for this event."),
        "not_registered": _("You are not registered for this event."),
    }
    return _page(409, messages.get(error.code, _("This cannot be done.")))


@requires("newcomer")
def register_view(event_id: int) -> Response | tuple[str, int]:
    """Take a seat, or a place on the waiting list when the event is full."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    identity = signed_in()
    try:
        attendee = register_for(db, actor_of(identity), event_id, identity.id)
    except SessionConflict as conflict:
        db.rollback()
        return _page(409, conflict.message())
    except GroupEventError as error:
        return _refused(error)
    db.commit()
    if attendee.response == "confirmed":
        flash(_("You are registered: your seat is kept and the invitation is on its way by "
                "e-mail."), "info")
    else:
        flash(_("The event is full: you are on the waiting list. If a seat opens, it is yours "
                "in turn and we tell you by e-mail."), "info")
    return redirect(url_for(".group_events"))


@requires("newcomer")
def cancel_view(event_id: int) -> Response | tuple[str, int]:
    """Give up a seat (the next person waiting gets it) or leave the waiting list."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    identity = signed_in()
    try:
        cancel_registration(db, actor_of(identity), event_id, identity.id)
    except GroupEventError as error:
        return _refused(error)
    db.commit()
    flash(_("Your registration is cancelled. Thank you for freeing your seat."), "info")
    return redirect(url_for(".group_events"))
