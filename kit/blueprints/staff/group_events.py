"""Group mentoring events for staff: create one, see its roster, mark attendance."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.staff.format_forms import AttendanceForm, GroupEventForm
from kit.db import db_session
from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.i18n import ngettext
from kit.models.base import utcnow
from kit.scheduling.errors import SchedulingError
from kit.services.audit import record_views
from kit.services.group_events import (
    GroupEventError,
    create_event,
    events_led_by,
    group_mentors,
    may_create,
    may_lead,
    record_attendance,
    roster,
)
from kit.services.session_conflicts import SessionConflict
from kit.state import get_state

ERRORS = {
    "mentor_count": _l("Choose from %(detail)s mentors."),
    "not_a_group_mentor": _l("Only approved mentors who offer group mentoring can lead an "
                             "event."),
    "capacity": _l("An event has at most %(detail)s seats for newcomers."),
    "in_the_past": _l("Choose a time in the future."),
}


def register(bp: Blueprint) -> None:
    """Add the group-event pages to the staff blueprint."""
    bp.add_url_rule("/group-events", "group_events", events)
    bp.add_url_rule("/group-events/new", "new_group_event", new_event, methods=["GET", "POST"])
    bp.add_url_rule("/group-events/<int:event_id>", "group_event", event)
    bp.add_url_rule("/group-events/<int:event_id>/attendance", "group_event_attendance",
                    attendance, methods=["POST"])


@requires("staff")
def events() -> str:
    """The events the employee leads or organized, and a way to create one."""
    db = db_session()
    identity = signed_in()
    return render_template("kit/staff/group_events.html",
                           rows=events_led_by(db, identity.id),
                           can_create=may_create(db, actor_of(identity)), now=utcnow())


def _form_page(form: GroupEventForm, status: int = 200,
               message: str | None = None) -> tuple[str, int]:
    return render_template("kit/staff/group_event_form.html", form=form,
                           message=message), status


@requires("staff")
def new_event() -> Response | tuple[str, int]:
    """Create a group mentoring event: 2-3 mentors, seats for newcomers, time and place."""
    db = db_session()
    identity = signed_in()
    if not may_create(db, actor_of(identity)):
        abort(403)
    config = get_state().config
    form = GroupEventForm()
    form.mentors.choices = [(m.id, m.display_name) for m in group_mentors(db)]
    if not form.is_submitted():
        form.capacity.data = config["KIT_GROUP_MAX_NEWCOMERS"]
        if any(value == identity.id for value, _label in form.mentors.choices):
            form.mentors.data = [identity.id]
        return _form_page(form)
    valid = form.validate()
    if form.csrf_token.errors:
        abort(400)
    interval = form.interval() if valid else None
    if interval is None:
        return _form_page(form, 422)
    starts_at = interval[0]
    try:
        created = create_event(
            db, actor_of(identity), title=form.title.data, starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=form.minutes.data),
            mentor_ids=form.mentors.data, capacity=form.capacity.data, place=form.place(),
            visitor_instructions=form.visitor_instructions.data or None)
    except SessionConflict as conflict:
        db.rollback()
        form.mentors.errors = [conflict.message()]
        return _form_page(form, 422)
    except GroupEventError as error:
        db.rollback()
        if error.code == "forbidden":
            abort(403)
        message = str(ERRORS.get(error.code, _l("This cannot be done."))) % {
            "detail": error.detail.replace("-", "\N{EN DASH}")}
        return _form_page(form, 422, message)
    db.commit()
    flash(_("The event is created; its mentors receive the invitation. Newcomers can "
            "register from their page."), "info")
    return redirect(url_for(".group_event", event_id=created.id))


def _roster_page(event_id: int, status: int = 200, message: str | None = None
                 ) -> tuple[str, int]:
    db = db_session()
    identity = signed_in()
    try:
        listed = roster(db, event_id)
    except GroupEventError:
        abort(404)
    if not may_lead(db, actor_of(identity), listed.session):
        abort(403)
    record_views(db, actor_of(identity),
                 (a.newcomer_id for a in listed.seated + listed.waiting if a.newcomer_id),
                 "group_event")
    db.commit()  # expires what was loaded: read the roster afresh, all at once
    listed = roster(db, event_id)
    people = listed.mentors + listed.seated
    form = AttendanceForm(formdata=None,
                          present=[a.id for a in people if a.attended is not False])
    return render_template("kit/staff/group_event.html", roster=listed, attendance=form,
                           people=people, started=listed.session.starts_at <= utcnow(),
                           message=message), status


@requires("staff")
def event(event_id: int) -> tuple[str, int]:
    """An event's mentors, newcomers with a seat, waiting list and attendance."""
    return _roster_page(event_id)


@requires("staff")
def attendance(event_id: int) -> Response | tuple[str, int]:
    """A mentor marks who came; each mentor present gets hours for the event."""
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400)
    db = db_session()
    try:
        listed = roster(db, event_id)
        present = set(form.present.data or [])
        marks = {a.id: a.id in present for a in listed.mentors + listed.seated}
        result = record_attendance(db, actor_of(signed_in()), event_id, marks)
    except GroupEventError:
        abort(404)
    except SchedulingError as error:
        db.rollback()
        if error.code == "forbidden":
            abort(403)
        return _roster_page(event_id, 422, _(
            "Attendance is marked once the event has started, and not for a cancelled event."))
    db.commit()
    flash(ngettext("Attendance recorded: %(num)d hours entry for the mentors present.",
                   "Attendance recorded: %(num)d hours entries for the mentors present.",
                   result.hours_added) if result.hours_added else _("Attendance recorded."),
          "info")
    return redirect(url_for(".group_event", event_id=event_id))
