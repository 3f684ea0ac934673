"""The coordinator confirms or rejects hours awaiting confirmation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.followup_forms import ButtonForm, ReasonForm, field_error
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.audit import record_views
from kit.services.hours import (
    CATEGORY_LABELS,
    HoursError,
    confirm_entry,
    pending_entries,
    reject_entry,
)
from kit.state import get_state
from kit.web import page_number


def register(bp: Blueprint) -> None:
    """Add the hours pages to the coordinator blueprint."""
    bp.add_url_rule("/hours", "hours", hours_page)
    bp.add_url_rule("/hours/<int:entry_id>/confirm", "confirm_hours", confirm,
                    methods=["POST"])
    bp.add_url_rule("/hours/<int:entry_id>/reject", "reject_hours", reject, methods=["POST"])


def _page(failed: tuple[int, ReasonForm] | None = None) -> str:
    rows, pages = pending_entries(db_session(), page_number(),
                                  get_state().config["KIT_PAGE_SIZE"])
    forms = {e.id: failed[1] if failed and failed[0] == e.id else ReasonForm(prefix=f"r{e.id}")
             for e in rows}
    # Rendered before the commit, which would expire every row the page shows.
    page_html = render_template("kit/coordinator/hours.html", rows=rows, pages=pages,
                                page=min(page_number(), pages), forms=forms,
                                button=ButtonForm(), category_labels=CATEGORY_LABELS)
    db = db_session()
    record_views(db, actor_of(signed_in()), (e.match.newcomer_id for e in rows if e.match),
                 "list")
    db.commit()
    return page_html


@requires("coordinator")
def hours_page() -> str:
    """Hours awaiting confirmation, oldest first."""
    return _page()


@requires("coordinator")
def confirm(entry_id: int) -> Response:
    """Confirm an entry."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    try:
        confirm_entry(db, actor_of(signed_in()), entry_id)
    except HoursError as error:
        db.rollback()
        if error.code == "not_found":
            abort(404)
        flash(error.message, "error")
        return redirect(url_for(".hours"))
    db.commit()
    flash(_("The hours are confirmed."), "info")
    return redirect(url_for(".hours"))


@requires("coordinator")
def reject(entry_id: int) -> Response | tuple[str, int]:
    """Reject an entry with a reason the mentor sees."""
    form = ReasonForm(prefix=f"r{entry_id}")
    db = db_session()
    if form.validate():
        try:
            reject_entry(db, actor_of(signed_in()), entry_id, form.reason.data)
        except HoursError as error:
            db.rollback()
            if error.code == "not_found":
                abort(404)
            field_error(form, error.field, error.message)
        else:
            db.commit()
            flash(_("The hours are rejected; the mentor sees your reason."), "info")
            return redirect(url_for(".hours"))
    elif form.csrf_token.errors:
        abort(400)
    return _page((entry_id, form)), 422
