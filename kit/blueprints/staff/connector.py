"""The connector format for staff: meetings they host, introductions to record or to schedule."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.staff.format_forms import (
    AttendanceForm,
    IntroductionsForm,
    WhenWhereForm,
    introductions_form,
)
from kit.blueprints.staff.forms import ButtonForm
from kit.db import db_session
from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.models.base import utcnow
from kit.scheduling.errors import SchedulingError
from kit.services.audit import record_view
from kit.services.connector_chains import find_colleagues, introductions_from, meetings_of
from kit.services.connectors import (
    Colleague,
    ConnectorError,
    decline_introduction,
    leading_introduction,
    load_meeting,
    mark_meeting_attendance,
    may_host,
    meeting_newcomer,
    record_introductions,
    schedule_introduction,
    suggested_to,
)
from kit.services.session_conflicts import SessionConflict
from kit.state import get_state

INTRODUCTION_STATUS_LABELS = {
    "suggested": _l("Suggested"),
    "scheduled": _l("Meeting scheduled"),
    "met": _l("Meeting held"),
    "declined": _l("Colleague declined"),
}
ERRORS = {
    "too_few_introductions": _l("Record at least %(count)s colleagues to introduce."),
    "unknown_colleague": _l("%(name)s is not in the directory: give a name and an e-mail."),
    "invalid_email": _l("%(name)s is not a valid e-mail address."),
    "self_introduction": _l("%(name)s is at this meeting already: introduce someone else."),
    "duplicate_colleague": _l("%(name)s is in the list twice."),
    "already_introduced": _l("The newcomer was already introduced to %(name)s."),
    "cancelled": _l("This meeting was cancelled."),
    "not_suggested": _l("This introduction was already scheduled or declined."),
}


def register(bp: Blueprint) -> None:
    """Add the connector pages to the staff blueprint."""
    bp.add_url_rule("/connector", "connector", connector)
    bp.add_url_rule("/connector/meetings/<int:meeting_id>", "connector_meeting", meeting,
                    methods=["GET", "POST"])
    bp.add_url_rule("/connector/meetings/<int:meeting_id>/attendance",
                    "connector_attendance", attendance, methods=["POST"])
    bp.add_url_rule("/connector/introductions/<int:introduction_id>/schedule",
                    "schedule_introduction", schedule, methods=["POST"])
    bp.add_url_rule("/connector/introductions/<int:introduction_id>/decline",
                    "decline_introduction", decline, methods=["POST"])


def error_message(error: ConnectorError) -> str:
    """The reader's-language sentence for a refused change."""
    text = str(ERRORS.get(error.code, _l("This cannot be done.")))
    return text % {"count": error.detail, "name": error.detail}


def _connector_page(forms: dict[int, WhenWhereForm] | None = None, status: int = 200
                    ) -> tuple[str, int]:
    db = db_session()
    staff_id = signed_in().id
    suggested = suggested_to(db, staff_id)
    forms = forms or {}
    for introduction in suggested:
        forms.setdefault(introduction.id, WhenWhereForm(formdata=None,
                                                        prefix=f"i{introduction.id}"))
    meetings = meetings_of(db, staff_id)
    return render_template(
        "kit/staff/connector.html", suggested=suggested, forms=forms, meetings=meetings,
        button=ButtonForm(), labels=INTRODUCTION_STATUS_LABELS,
        newcomer_of=meeting_newcomer), status


@requires("staff")
def connector() -> tuple[str, int]:
    """Introductions waiting for the employee to schedule, and the meetings they host."""
    return _connector_page()


@requires("staff")
def schedule(introduction_id: int) -> Response | tuple[str, int]:
    """The colleague chooses a time for the 30-minute meeting with the newcomer."""
    form = WhenWhereForm(prefix=f"i{introduction_id}")
    valid = form.validate()
    if form.csrf_token.errors:
        abort(400)
    interval = form.interval() if valid else None
    if interval is None:
        return _connector_page({introduction_id: form}, 422)
    db = db_session()
    try:
        session = schedule_introduction(db, actor_of(signed_in()), introduction_id,
                                        starts_at=interval[0], place=form.place())
    except SessionConflict as conflict:
        db.rollback()
        form.start.errors = [conflict.message()]
        return _connector_page({introduction_id: form}, 422)
    except ConnectorError as error:
        db.rollback()
        if error.code in ("not_found", "forbidden"):
            abort(404 if error.code == "not_found" else 403)
        flash(error_message(error), "error")
        return redirect(url_for(".connector"))
    db.commit()
    flash(_("The connector meeting is scheduled; the newcomer and you receive the "
            "invitation."), "info")
    return redirect(url_for(".connector_meeting", meeting_id=session.id))


@requires("staff")
def decline(introduction_id: int) -> Response:
    """The colleague cannot meet the newcomer."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    try:
        decline_introduction(db, actor_of(signed_in()), introduction_id)
    except ConnectorError as error:
        db.rollback()
        if error.code in ("not_found", "forbidden"):
            abort(404 if error.code == "not_found" else 403)
        flash(error_message(error), "error")
        return redirect(url_for(".connector"))
    db.commit()
    flash(_("Thank you for letting us know; the introduction is declined."), "info")
    return redirect(url_for(".connector"))


def _colleagues(form: IntroductionsForm) -> list[Colleague] | None:
    """The rows as colleagues, directory names resolved; None with field errors when unclear."""
    db = db_session()
    result: list[Colleague] = []
    for row in form.filled():
        typed = (row.person.data or "").strip()
        if not typed:
            result.append(Colleague(name=(row.name.data or "").strip(),
                                    email=(row.email.data or "").strip()))
            continue
        found = find_colleagues(db, typed)
        if len(found) == 1:
            result.append(Colleague(staff_id=found[0].id))
        elif not found:
            row.person.errors = [*row.person.errors, _(
                "No one in the directory matches; check the spelling, or give a name and an "
                "e-mail instead.")]
        else:
            people = ", ".join(f"{p.display_name} <{p.email}>" for p in found)
            row.person.errors = [*row.person.errors, _(
                "Several people match: %(people)s. Give the e-mail of the right one.",
                people=people)]
    return None if any(row.person.errors for row in form.filled()) else result


def _meeting_page(meeting_id: int, form: IntroductionsForm | None = None,
                  status: int = 200, message: str | None = None) -> tuple[str, int]:
    db = db_session()
    identity = signed_in()
    try:
        session = load_meeting(db, meeting_id)
    except ConnectorError:
        abort(404)
    if not may_host(db, actor_of(identity), session):
        abort(403)
    record_view(db, actor_of(identity), meeting_newcomer(session).newcomer_id or 0,
                "connector_meeting")
    db.commit()  # expires what was loaded: read the page's data afresh, all at once
    session = load_meeting(db, meeting_id)
    minimum = get_state().config["KIT_CONNECTOR_MIN_INTRODUCTIONS"]
    made = introductions_from(db, session.id)
    newcomer = meeting_newcomer(session)
    attendance = AttendanceForm(formdata=None, present=[
        a.id for a in session.attendees if a.attended is not False])
    return render_template(
        "kit/staff/connector_meeting.html", session=session, newcomer=newcomer,
        made=made, leading=leading_introduction(db, session.id),
        form=form or introductions_form(minimum, formdata=None),
        minimum=max(0, minimum - len(made)), labels=INTRODUCTION_STATUS_LABELS,
        attendance=attendance, started=session.starts_at <= utcnow(),
        message=message), status


@requires("staff")
def meeting(meeting_id: int) -> Response | tuple[str, int]:
    """A connector meeting: who, when, the introductions made, and the form to add them."""
    if request.method == "GET":
        return _meeting_page(meeting_id)
    minimum = get_state().config["KIT_CONNECTOR_MIN_INTRODUCTIONS"]
    form = introductions_form(minimum)
    valid = form.validate()
    if form.csrf_token.errors:
        abort(400)
    colleagues = _colleagues(form)  # directory look-ups: all the errors at once
    if not valid or colleagues is None:
        return _meeting_page(meeting_id, form, 422)
    db = db_session()
    try:
        made = record_introductions(db, actor_of(signed_in()), meeting_id, colleagues,
                                    note=form.note.data)
    except ConnectorError as error:
        db.rollback()
        if error.code in ("not_found", "forbidden"):
            abort(404 if error.code == "not_found" else 403)
        return _meeting_page(meeting_id, form, 422, error_message(error))
    db.commit()
    flash(_("%(count)d introductions recorded; each colleague is invited by e-mail to "
            "schedule a meeting with the newcomer.", count=len(made)), "info")
    return redirect(url_for(".connector_meeting", meeting_id=meeting_id))


@requires("staff")
def attendance(meeting_id: int) -> Response | tuple[str, int]:
    """The host marks who came; hours follow for the staff present."""
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400)
    db = db_session()
    try:
        session = load_meeting(db, meeting_id)
        present = set(form.present.data or [])
        marks: dict[int, Any] = {a.id: a.id in present for a in session.attendees}
        mark_meeting_attendance(db, actor_of(signed_in()), meeting_id, marks)
    except ConnectorError:
        abort(404)
    except SchedulingError as error:
        db.rollback()
        if error.code == "forbidden":
            abort(403)
        return _meeting_page(meeting_id, status=422, message=_(
            "Attendance is marked once the meeting has started, and not for a cancelled "
            "meeting."))
    db.commit()
    flash(_("Attendance recorded."), "info")
    return redirect(url_for(".connector_meeting", meeting_id=meeting_id))
