"""The newcomer's sessions: confirm, or ask for another time with a note; calendar feed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from kit.auth.permissions import requires, signed_in
from kit.blueprints.staff.calendar import feed_page
from kit.db import db_session
from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.models.base import utcnow
from kit.scheduling.errors import SchedulingError
from kit.services.calendar_feeds import Owner
from kit.services.scheduling import error_message, respond_to_session
from kit.services.session_lists import newcomer_sessions


class ConfirmForm(FlaskForm):
    """"I will come": a POST with a CSRF token."""


class RescheduleForm(FlaskForm):
    """Ask for another time, saying which times suit better."""

    note = TextAreaField(_l("Which days and times suit you better?"),
                         validators=[DataRequired(_l("Say which times suit you better.")),
                                     Length(max=500)])


def register(bp: Blueprint) -> None:
    """Add the session pages to the newcomer blueprint."""
    bp.add_url_rule("/sessions", "sessions", sessions)
    bp.add_url_rule("/sessions/<int:session_id>/confirm", "confirm_session", confirm,
                    methods=["POST"])
    bp.add_url_rule("/sessions/<int:session_id>/reschedule", "ask_reschedule", ask_reschedule,
                    methods=["POST"])
    bp.add_url_rule("/calendar", "calendar", calendar, methods=["GET", "POST"])


def _page(status: int = 200, form: RescheduleForm | None = None,
          form_session_id: int | None = None) -> tuple[str, int]:
    lists = newcomer_sessions(db_session(), signed_in().id)
    return render_template("kit/newcomer/sessions.html", lists=lists, me=signed_in().id,
                           confirm_form=ConfirmForm(), reschedule_form=form or RescheduleForm(),
                           form_session_id=form_session_id, now=utcnow()), status


@requires("newcomer")
def sessions() -> tuple[str, int]:
    """My sessions: what to confirm, what is coming, what happened."""
    return _page()


def _answer(session_id: int, confirm: bool, note: str | None) -> Response:
    db = db_session()
    try:
        respond_to_session(db, signed_in().id, session_id, confirm=confirm, note=note)
    except SchedulingError as error:
        db.rollback()
        if error.code == "not_found":
            abort(404)
        flash(error_message(error), "error")
        return redirect(url_for(".sessions"))
    db.commit()
    flash(_("Thank you: your mentor is told.") if confirm else
          _("Your mentor is told that you would like another time."), "info")
    return redirect(url_for(".sessions"))


@requires("newcomer")
def confirm(session_id: int) -> Response:
    """I will come."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _answer(session_id, True, None)


@requires("newcomer")
def ask_reschedule(session_id: int) -> Response | tuple[str, int]:
    """Ask the mentor for another time, with a note."""
    form = RescheduleForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _page(422, form, session_id)
    return _answer(session_id, False, form.note.data)


@requires("newcomer")
def calendar() -> str | tuple[str, int]:
    """The newcomer's calendar feed."""
    return feed_page(Owner("newcomer", signed_in().id), "kit/calendar_feed.html")
