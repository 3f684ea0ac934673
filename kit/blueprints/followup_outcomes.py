"""The outcome form, shared by the newcomer's, the agency's and the coordinator's pages."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import signed_in
from kit.blueprints.agency.display import occupation_title
from kit.blueprints.followup_forms import OutcomeForm, field_error, unprocessable
from kit.db import db_session
from kit.i18n import gettext as _
from kit.models import Newcomer
from kit.services.outcomes import (
    INTERVAL_LABELS,
    STATUS_LABELS,
    OutcomeError,
    newcomer_intervals,
    record_outcome,
)


def outcome_page(newcomer_id: int, template: str, back: str) -> str | Response | tuple[str, int]:
    """Show the newcomer's follow-ups and record one; ``back`` is where a save returns."""
    db = db_session()
    newcomer = db.get(Newcomer, newcomer_id)
    if newcomer is None or newcomer.erased_at is not None:
        abort(404)
    today = date.today()
    rows = newcomer_intervals(db, newcomer_id, today)
    form = OutcomeForm()
    form.set_intervals(rows, today)
    status = 200
    if request.method == "POST":
        if form.validate():
            match_id, interval = form.target()
            try:
                record_outcome(db, actor_of(signed_in()), newcomer_id, match_id, interval,
                               form.outcome(), today)
            except OutcomeError as error:
                db.rollback()
                field_error(form, error.field, error.message or _("Check the fields."))
            else:
                db.commit()
                flash(_("The follow-up is saved. Thank you!"), "info")
                return redirect(back)
        elif form.csrf_token.errors:
            abort(400)
        status = 422
    context = {"newcomer": newcomer, "rows": rows, "form": form, "today": today,
               "interval_labels": INTERVAL_LABELS, "status_labels": STATUS_LABELS,
               "occupation": occupation_title(form.noc_code.data)}
    if status == 422:
        return unprocessable(template, **context)
    return render_template(template, **context)
