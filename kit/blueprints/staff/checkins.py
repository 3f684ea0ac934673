"""The mentor's monthly check-ins: the open ones, each answered on the page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.followup_forms import CheckInForm, checkin_form, field_error
from kit.db import db_session
from kit.i18n import current_locale
from kit.i18n import gettext as _
from kit.services.checkins import CheckInError, answer_checkin, open_checkins, questions
from kit.state import get_state

RESPONDENT = "mentor"


def register(bp: Blueprint) -> None:
    """Add the check-in pages to the staff blueprint."""
    bp.add_url_rule("/checkins", "checkins", checkins)
    bp.add_url_rule("/checkins/<int:check_in_id>", "answer_checkin", answer, methods=["POST"])


def render_checkins(template: str, respondent: str, person_id: int,
                    failed: tuple[int, CheckInForm] | None = None) -> str:
    """The open check-ins with a form each (the one that failed keeps its input and errors)."""
    extra = questions(get_state().config, current_locale())
    rows = open_checkins(db_session(), respondent, person_id)
    forms = {row.id: (failed[1] if failed and failed[0] == row.id
                      else checkin_form(extra, prefix=f"c{row.id}")) for row in rows}
    return render_template(template, rows=rows, forms=forms)


def answer_view(template: str, respondent: str, endpoint: str, check_in_id: int
                ) -> Response | tuple[str, int]:
    """Record an answer of the signed-in respondent, or show the form again with errors."""
    identity = signed_in()
    db = db_session()
    extra = questions(get_state().config, current_locale())
    form = checkin_form(extra, prefix=f"c{check_in_id}")
    if form.validate():
        try:
            answer_checkin(db, actor_of(identity), check_in_id, respondent, identity.id,
                           form.answer(extra))
        except CheckInError as error:
            db.rollback()
            if error.code == "not_found":
                abort(404)
            if error.code == "answered":
                flash(error.message, "info")
                return redirect(url_for(endpoint))
            field_error(form, "satisfaction", error.message)
        else:
            db.commit()
            flash(_("Thank you! Your check-in is sent to the program coordinator."), "info")
            return redirect(url_for(endpoint))
    elif form.csrf_token.errors:
        abort(400)
    return render_checkins(template, respondent, identity.id, (check_in_id, form)), 422


@requires("staff")
def checkins() -> str:
    """My open check-ins."""
    return render_checkins("kit/staff/checkins.html", RESPONDENT, signed_in().id)


@requires("staff")
def answer(check_in_id: int) -> Response | tuple[str, int]:
    """Answer one check-in."""
    return answer_view("kit/staff/checkins.html", RESPONDENT, ".checkins", check_in_id)
