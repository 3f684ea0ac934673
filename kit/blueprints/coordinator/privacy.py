"""A newcomer's privacy requests: see what is held, export it as JSON, erase it."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField
from wtforms.validators import DataRequired

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.db import db_session
from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.services.audit import record_view
from kit.services.privacy import erase_newcomer, privacy_summary
from kit.services.privacy_export import export_newcomer


class EraseForm(FlaskForm):
    """Erase a newcomer's personal data: a POST with a CSRF token and an explicit tick."""

    confirm = BooleanField(
        _l("The newcomer asked for it, and I understand that this cannot be undone."),
        validators=[DataRequired(message=_l("Tick the box to confirm the erasure."))])


def register(bp: Blueprint) -> None:
    """Add the privacy page, the export and the erasure to ``bp``."""
    bp.add_url_rule("/newcomers/<int:newcomer_id>/privacy", "privacy", privacy)
    bp.add_url_rule("/newcomers/<int:newcomer_id>/export", "privacy_export", privacy_export)
    bp.add_url_rule("/newcomers/<int:newcomer_id>/erase", "privacy_erase", privacy_erase,
                    methods=["POST"])


def _page(newcomer_id: int, form: EraseForm, status: int = 200) -> tuple[str, int]:
    db = db_session()
    summary = privacy_summary(db, newcomer_id)
    if summary is None:
        abort(404)
    if not summary.newcomer.is_erased:
        record_view(db, actor_of(signed_in()), newcomer_id, "privacy")
        db.commit()
    return render_template("kit/coordinator/privacy.html", summary=summary,
                           newcomer=summary.newcomer, form=form), status


@requires("coordinator")
def privacy(newcomer_id: int) -> tuple[str, int]:
    """What the program holds about a newcomer, what erasure keeps and removes."""
    return _page(newcomer_id, EraseForm(formdata=None))


@requires("coordinator")
def privacy_export(newcomer_id: int) -> Response:
    """Download everything held about a newcomer as one JSON file (the view is audited)."""
    db = db_session()
    try:
        data = export_newcomer(db, newcomer_id)
    except LookupError:
        abort(404)
    record_view(db, actor_of(signed_in()), newcomer_id, "export")
    db.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="newcomer-{newcomer_id}.json"',
        # Personal data: no shared or browser cache keeps a copy.
        "Cache-Control": "no-store",
    })


@requires("coordinator")
def privacy_erase(newcomer_id: int) -> Response | tuple[str, int]:
    """Erase a newcomer's personal data on their request, after the confirmation."""
    form = EraseForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _page(newcomer_id, form, 400)
    db = db_session()
    try:
        erase_newcomer(db, actor_of(signed_in()), newcomer_id)
    except LookupError:
        abort(404)
    db.commit()
    flash(_("The newcomer's personal data is erased. Hours, outcomes and statistics stay, "
            "without their name."), "info")
    return redirect(url_for("kit_coordinator.newcomers"))
