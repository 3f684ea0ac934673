"""Session types: switch each on or off and set its usual length."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.db import db_session
from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.labels import label
from kit.scheduling.errors import SchedulingError
from kit.services.session_types import (
    MAX_DEFAULT_MINUTES,
    ensure_session_types,
    update_session_type,
)


class SessionTypeForm(FlaskForm):
    """One row of the session types table."""

    is_active = BooleanField(_l("Offered"))
    default_minutes = IntegerField(
        _l("Usual length in minutes"),
        validators=[InputRequired(_l("Give the length in minutes.")),
                    NumberRange(1, MAX_DEFAULT_MINUTES,
                                _l("Between 1 minute and 8 hours (480 minutes)."))])


def register(bp: Blueprint) -> None:
    """Add the session types page to the admin blueprint."""
    bp.add_url_rule("/session-types", "session_types", session_types, methods=["GET", "POST"])


def _page(failed: SessionTypeForm | None = None, failed_code: str | None = None,
          status: int = 200) -> tuple[str, int]:
    db = db_session()
    rows = []
    for session_type in ensure_session_types(db):
        if failed is not None and failed_code == session_type.code:
            form = failed
        else:
            # Each row's fields carry its code as prefix: ids stay unique, labels match.
            form = SessionTypeForm(formdata=None, prefix=session_type.code, data={
                "is_active": session_type.is_active,
                "default_minutes": session_type.default_minutes})
        rows.append((label("session_type", session_type.code), session_type, form))
    db.commit()
    return render_template("kit/admin/session_types.html", rows=rows), status


@requires("admin")
def session_types() -> Response | tuple[str, int]:
    """The list of session types, each with its own small form."""
    if request.method == "GET":
        return _page()
    code = request.form.get("type", "")
    if code not in {t.code for t in ensure_session_types(db_session())}:
        abort(404)
    form = SessionTypeForm(prefix=code)
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        return _page(form, code, 422)
    db = db_session()
    try:
        update_session_type(db, actor_of(signed_in()), code,
                            is_active=form.is_active.data,
                            default_minutes=form.default_minutes.data)
    except SchedulingError as error:
        db.rollback()
        if error.code == "not_found":
            abort(404)
        form.default_minutes.errors = [_("Between 1 minute and 8 hours (480 minutes).")]
        return _page(form, code, 422)
    db.commit()
    flash(_("%(type)s is saved.", type=label("session_type", code)), "info")
    return redirect(url_for(".session_types"))
