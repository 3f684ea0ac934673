"""The mentor's hours: the list, their totals against the target, adding and changing entries,
and their certificates of completion."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.followup_forms import HoursForm, field_error, unprocessable
from kit.blueprints.followup_pdf import pdf_response, program_names
from kit.db import db_session
from kit.i18n import current_locale
from kit.i18n import gettext as _
from kit.services.hours import (
    CATEGORY_LABELS,
    EDITABLE_STATUSES,
    STATUS_LABELS,
    HoursError,
    add_entry,
    edit_entry,
    list_entries,
    mentor_matches,
    own_entry,
    totals,
)
from kit.services.recognition import CertificateError, certificate_pdf, mentor_certificate
from kit.state import get_state
from kit.web import page_number


def register(bp: Blueprint) -> None:
    """Add the hours pages to the staff blueprint."""
    bp.add_url_rule("/hours", "hours", hours_page)
    bp.add_url_rule("/hours/new", "new_hours", new_hours, methods=["GET", "POST"])
    bp.add_url_rule("/hours/<int:entry_id>/edit", "edit_hours", edit_hours,
                    methods=["GET", "POST"])
    bp.add_url_rule("/hours/certificate/<int:match_id>.pdf", "certificate", certificate)


def _labels() -> dict[str, object]:
    return {"category_labels": CATEGORY_LABELS, "status_labels": STATUS_LABELS}


@requires("staff")
def hours_page() -> str:
    """My hours, newest first, with my totals and progress toward the target."""
    db = db_session()
    staff_id = signed_in().id
    config = get_state().config
    rows, pages = list_entries(db, staff_id, page_number(), config["KIT_PAGE_SIZE"])
    default = config.get("KIT_MATCH_TARGET_HOURS")  # the program's target, when configured
    mine = totals(db, staff_id, Decimal(default) if default else None)
    return render_template("kit/staff/hours.html", rows=rows, pages=pages,
                           page=min(page_number(), pages), totals=mine,
                           editable=EDITABLE_STATUSES, **_labels())


def _save(form: HoursForm, entry_id: int | None) -> Response | tuple[str, int]:
    db = db_session()
    identity = signed_in()
    if form.validate():
        try:
            if entry_id is None:
                add_entry(db, actor_of(identity), identity.id, form.entry())
            else:
                edit_entry(db, actor_of(identity), identity.id, entry_id, form.entry())
        except HoursError as error:
            db.rollback()
            if error.code == "not_found":
                abort(404)
            field_error(form, error.field, error.message)
        else:
            db.commit()
            flash(_("Your hours are saved; they count once confirmed by your newcomer or the "
                    "program coordinator."), "info")
            return redirect(url_for(".hours"))
    elif form.csrf_token.errors:
        abort(400)
    return unprocessable("kit/staff/hours_form.html", form=form, entry_id=entry_id)


@requires("staff")
def new_hours() -> str | Response | tuple[str, int]:
    """Log hours by hand: preparation, e-mail or phone, an event."""
    form = HoursForm()
    form.set_matches(mentor_matches(db_session(), signed_in().id))
    if request.method == "POST":
        return _save(form, None)
    return render_template("kit/staff/hours_form.html", form=form, entry_id=None)


@requires("staff")
def edit_hours(entry_id: int) -> str | Response | tuple[str, int]:
    """Correct an entry awaiting confirmation or rejected; its earlier values are kept."""
    db = db_session()
    entry = own_entry(db, signed_in().id, entry_id)
    if entry is None:
        abort(404)
    if entry.status not in EDITABLE_STATUSES or entry.category == "session":
        flash(_("This entry is confirmed or comes from a session; it can no longer be "
                "changed."), "error")
        return redirect(url_for(".hours"))
    data = None if request.method == "POST" else {
        "worked_on": entry.worked_on, "hours": entry.hours, "category": entry.category,
        "note": entry.note, "match_id": str(entry.match_id or "")}
    form = HoursForm(data=data)
    form.set_matches(mentor_matches(db, signed_in().id))
    if request.method == "POST":
        return _save(form, entry_id)
    return render_template("kit/staff/hours_form.html", form=form, entry_id=entry_id,
                           entry=entry, **_labels())


@requires("staff")
def certificate(match_id: int) -> Response:
    """My bilingual certificate for a completed match, as a PDF."""
    db = db_session()
    try:
        cert = mentor_certificate(db, signed_in().id, match_id, program_names())
    except CertificateError:
        abort(404)
    return pdf_response(certificate_pdf, cert, current_locale(), f"certificate-{match_id}.pdf")
