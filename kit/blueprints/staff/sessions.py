"""The mentor's sessions: list, schedule, change, cancel, mark attendance; visit approval."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import public, requires, signed_in
from kit.blueprints.staff.session_forms import ApprovalForm, ButtonForm, CancelForm, SessionForm
from kit.db import db_session
from kit.i18n import gettext as _
from kit.models import MentoringSession
from kit.models.base import utcnow
from kit.scheduling.errors import SchedulingError
from kit.services.attendance import mark_attendance, may_manage
from kit.services.audit import Actor, record_views
from kit.services.invitations import session_zone
from kit.services.pace import match_paces
from kit.services.scheduling import (
    NeedsConfirmation,
    SessionDetails,
    error_message,
    mentor_matches,
    reschedule_session,
    schedule_session,
)
from kit.services.scheduling import cancel_session as cancel
from kit.services.session_lists import session_of_staff, staff_sessions
from kit.services.session_types import active_types
from kit.services.shadowing import decide_approval, session_for_token
from kit.state import get_state

#: Errors that mean "not yours" or "no such thing" rather than a field to fix.
_NOT_FOUND = ("not_found", "forbidden")


def register(bp: Blueprint) -> None:
    """Add the session pages to the staff blueprint."""
    bp.add_url_rule("/sessions", "sessions", sessions)
    bp.add_url_rule("/sessions/new", "schedule", schedule, methods=["GET", "POST"])
    bp.add_url_rule("/sessions/<int:session_id>", "session", session_page)
    bp.add_url_rule("/sessions/<int:session_id>/edit", "edit_session", edit_session,
                    methods=["GET", "POST"])
    bp.add_url_rule("/sessions/<int:session_id>/cancel", "cancel_session", cancel_view,
                    methods=["POST"])
    bp.add_url_rule("/sessions/<int:session_id>/attendance", "attendance", attendance,
                    methods=["POST"])
    bp.add_url_rule("/visits/<token>", "shadowing_approval", shadowing_approval,
                    methods=["GET", "POST"])


def _actor() -> Actor:
    return actor_of(signed_in())


@requires("staff")
def sessions() -> str:
    """My sessions to come and past, and the pace of my matches."""
    db = db_session()
    staff_id = signed_in().id
    lists = staff_sessions(db, staff_id)
    paces = match_paces(db, staff_id=staff_id)
    newcomer_ids = [p.newcomer_id for p in paces] + [
        a.newcomer_id for s in lists.upcoming + lists.past for a in s.attendees if a.newcomer_id]
    record_views(db, _actor(), newcomer_ids, "sessions")
    # Rendered before the commit, which would expire every loaded row (a query each).
    page = render_template("kit/staff/sessions.html", lists=lists, paces=paces,
                           zone=get_state().config["KIT_TIMEZONE"])
    db.commit()
    return page


def _form_page(form: SessionForm, template_args: dict[str, object], status: int = 200,
               warnings: list[str] | None = None) -> tuple[str, int]:
    return render_template("kit/staff/session_form.html", form=form, warnings=warnings or [],
                           zone=get_state().config["KIT_TIMEZONE"], **template_args), status


def _submit(form: SessionForm, save: Callable[[SessionDetails, bool], MentoringSession],
            template_args: dict[str, object]) -> Response | tuple[str, int]:
    """Validate, call ``save(details, accept)``, and answer: redirect, or 422 with errors."""
    db = db_session()
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        return _form_page(form, template_args, 422)
    try:
        saved = save(form.details(), bool(form.accept_warnings.data))
    except NeedsConfirmation as warning:
        db.rollback()
        form.accept_warnings.errors = [_("Tick the box to schedule it anyway.")]
        return _form_page(form, template_args, 422, warning.messages())
    except SchedulingError as error:
        db.rollback()
        if error.code in _NOT_FOUND:
            abort(404)
        field = {"nonexistent_local_time": form.start, "ambiguous_local_time": form.start,
                 "in_the_past": form.day, "approver_required": form.approver_email,
                 "type_unavailable": form.type_code, "no_location": form.location_building,
                 "invalid_duration": form.minutes}.get(error.code, form.day)
        field.errors = [error_message(error)]
        return _form_page(form, template_args, 422)
    db.commit()
    if saved.approval_status == "pending":
        flash(_("The session is saved. The host department's manager is asked to approve the "
                "visit; invitations go once they do."), "info")
    else:
        flash(_("The session is saved and everyone is invited by e-mail."), "info")
    return redirect(url_for(".session", session_id=saved.id))


@requires("staff")
def schedule() -> str | Response | tuple[str, int]:
    """Schedule a session for one of my active matches (``?match=`` picks it)."""
    db = db_session()
    matches = mentor_matches(db, signed_in().id)
    form = SessionForm()
    form.set_types(active_types(db))
    form.match_id.choices = [(m.id, m.newcomer.display_name) for m in matches]
    args = {"matches": matches, "session": None}
    if request.method == "POST":
        if form.match_id.data not in {m.id for m in matches}:
            abort(404)
        return _submit(form, lambda details, accept: schedule_session(
            db, _actor(), form.match_id.data, details, accept_warnings=accept), args)
    chosen = request.args.get("match", "")
    if chosen.isdigit() and int(chosen) in {m.id for m in matches}:
        form.match_id.data = int(chosen)
    form.type_code.data = form.type_code.data or "one_on_one"
    record_views(db, _actor(), [m.newcomer_id for m in matches], "session_form")
    page = _form_page(form, args)
    db.commit()
    return page


def _own_session(session_id: int) -> MentoringSession:
    try:
        return session_of_staff(db_session(), signed_in().id, session_id)
    except SchedulingError:
        abort(404)


@requires("staff")
def session_page(session_id: int) -> str:
    """One session: details, change, cancel, and attendance once it started."""
    db = db_session()
    session = _own_session(session_id)
    record_views(db, _actor(), [a.newcomer_id for a in session.attendees if a.newcomer_id],
                 "session")
    page = render_template("kit/staff/session.html", session=session,
                           zone=session_zone(session), manages=may_manage(_actor(), session),
                           cancel_form=CancelForm(), button=ButtonForm(), now=utcnow())
    db.commit()
    return page


@requires("staff")
def edit_session(session_id: int) -> str | Response | tuple[str, int]:
    """Change the time, place or notes of a session; everyone gets the update."""
    db = db_session()
    session = _own_session(session_id)
    if not may_manage(_actor(), session) or session.status not in ("scheduled", "confirmed"):
        abort(403)
    form = SessionForm(data=None if request.method == "POST" else SessionForm.data_of(session))
    form.set_types(active_types(db))
    # The match stays: only when, where and what change.
    form.match_id.choices = [(session.match_id or 0, "")]
    form.match_id.data = session.match_id or 0
    args = {"matches": [session.match] if session.match else [], "session": session}
    if request.method == "POST":
        return _submit(form, lambda details, accept: reschedule_session(
            db, _actor(), session_id, details, accept_warnings=accept), args)
    return _form_page(form, args)


@requires("staff")
def cancel_view(session_id: int) -> Response | tuple[str, int]:
    """Cancel a session with a reason; everyone's calendar drops it."""
    db = db_session()
    form = CancelForm()
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        session = _own_session(session_id)
        return render_template("kit/staff/session.html", session=session,
                               zone=session_zone(session), manages=True, cancel_form=form,
                               button=ButtonForm(), now=utcnow()), 422
    try:
        cancel(db, _actor(), session_id, form.reason.data)
    except SchedulingError as error:
        db.rollback()
        if error.code in _NOT_FOUND:
            abort(404)
        flash(error_message(error), "error")
        return redirect(url_for(".session", session_id=session_id))
    db.commit()
    flash(_("The session is cancelled; everyone invited is told, with your reason."), "info")
    return redirect(url_for(".sessions"))


@requires("staff")
def attendance(session_id: int) -> Response:
    """Mark who came; attended sessions add the mentors' hours, to be confirmed."""
    db = db_session()
    if not ButtonForm().validate_on_submit():
        abort(400)
    session = _own_session(session_id)
    present = set(request.form.getlist("present"))
    marks = {a.id: str(a.id) in present for a in session.attendees}
    try:
        result = mark_attendance(db, _actor(), session_id, marks)
    except SchedulingError as error:
        db.rollback()
        if error.code in _NOT_FOUND:
            abort(404 if error.code == "not_found" else 403)
        flash(error_message(error), "error")
        return redirect(url_for(".session", session_id=session_id))
    db.commit()
    if result.status == "attended":
        flash(_("Attendance saved. Your hours are added and await confirmation."), "info")
    else:
        flash(_("Attendance saved: the session is marked as a no-show."), "info")
    return redirect(url_for(".session", session_id=session_id))


@public
def shadowing_approval(token: str) -> str | Response | tuple[str, int]:
    """The host department manager approves or refuses a job-shadowing visit."""
    db = db_session()
    try:
        session = session_for_token(db, token)
    except SchedulingError as error:
        return render_template("kit/staff/session_approval.html", session=None,
                               message=error_message(error), form=None), 404
    form = ApprovalForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        approve = request.form.get("decision") == "approve"
        try:
            decide_approval(db, token, approve=approve, note=form.note.data)
        except SchedulingError as error:
            db.rollback()
            return render_template("kit/staff/session_approval.html", session=session,
                                   message=error_message(error), form=None), 409
        db.commit()
        message = (_("Thank you: the visit is approved and everyone is invited.") if approve
                   else _("The visit is refused; the mentor is told."))
        return render_template("kit/staff/session_approval.html", session=session,
                               message=message, form=None)
    return render_template("kit/staff/session_approval.html", session=session, message=None,
                           form=form, zone=session_zone(session))
