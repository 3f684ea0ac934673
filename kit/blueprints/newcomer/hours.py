"""The newcomer confirms (or rejects) their mentor's hours and downloads their certificate.

Also the personal link that opens a given page (a check-in, a follow-up) after signing in.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of, sign_in
from kit.auth.newcomer_links import open_link
from kit.auth.permissions import public, requires, signed_in
from kit.blueprints.followup_forms import ButtonForm, ReasonForm, field_error
from kit.blueprints.followup_pdf import pdf_response, program_names
from kit.db import db_session
from kit.i18n import current_locale
from kit.i18n import gettext as _
from kit.models import Match
from kit.services.hours import (
    CATEGORY_LABELS,
    STATUS_LABELS,
    HoursError,
    confirm_entry,
    pending_for_newcomer,
    recent_for_newcomer,
    reject_entry,
)
from kit.services.recognition import CertificateError, certificate_pdf, newcomer_certificate

#: Pages a personal link may open directly.
LINK_PAGES = {"hours": "kit_newcomer.hours", "checkins": "kit_newcomer.checkins",
              "outcomes": "kit_newcomer.outcomes"}


def register(bp: Blueprint) -> None:
    """Add the hours pages, the certificate and the page links to the newcomer blueprint."""
    bp.add_url_rule("/hours", "hours", hours_page)
    bp.add_url_rule("/hours/<int:entry_id>/confirm", "confirm_hours", confirm,
                    methods=["POST"])
    bp.add_url_rule("/hours/<int:entry_id>/reject", "reject_hours", reject, methods=["POST"])
    bp.add_url_rule("/certificate/<int:match_id>.pdf", "certificate", certificate)
    bp.add_url_rule("/link/<token>/<any(hours,checkins,outcomes):page>", "open_link_to",
                    open_link_to)


@public
def open_link_to(token: str, page: str) -> Response | tuple[str, int]:
    """Enter through a personal link and go straight to ``page``."""
    db = db_session()
    link = open_link(db, current_app.secret_key, token)
    if link is None:
        return render_template("kit/newcomer/link_invalid.html"), 404
    sign_in("newcomer", link.newcomer_id, link_id=link.id)
    db.commit()
    return redirect(url_for(LINK_PAGES[page]))


def _page(failed: tuple[int, ReasonForm] | None = None) -> str:
    db = db_session()
    newcomer_id = signed_in().id
    pending = pending_for_newcomer(db, newcomer_id)
    forms = {e.id: failed[1] if failed and failed[0] == e.id else ReasonForm(prefix=f"r{e.id}")
             for e in pending}
    completed = list(db.scalars(select(Match).where(
        Match.newcomer_id == newcomer_id, Match.status == "closed",
        Match.close_reason == "completed").order_by(Match.id)))
    return render_template("kit/newcomer/hours.html", pending=pending, forms=forms,
                           recent=recent_for_newcomer(db, newcomer_id), completed=completed,
                           button=ButtonForm(), category_labels=CATEGORY_LABELS,
                           status_labels=STATUS_LABELS)


@requires("newcomer")
def hours_page() -> str:
    """The hours my mentor logged: confirm each, or say what is wrong."""
    return _page()


@requires("newcomer")
def confirm(entry_id: int) -> Response:
    """Confirm one entry of my mentor."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    try:
        confirm_entry(db, actor_of(signed_in()), entry_id, newcomer_id=signed_in().id)
    except HoursError as error:
        db.rollback()
        if error.code == "not_found":
            abort(404)
        flash(error.message, "error")
        return redirect(url_for(".hours"))
    db.commit()
    flash(_("Thank you: the hours are confirmed."), "info")
    return redirect(url_for(".hours"))


@requires("newcomer")
def reject(entry_id: int) -> Response | tuple[str, int]:
    """Say that an entry is not right, and why."""
    form = ReasonForm(prefix=f"r{entry_id}")
    db = db_session()
    if form.validate():
        try:
            reject_entry(db, actor_of(signed_in()), entry_id, form.reason.data,
                         newcomer_id=signed_in().id)
        except HoursError as error:
            db.rollback()
            if error.code == "not_found":
                abort(404)
            field_error(form, error.field, error.message)
        else:
            db.commit()
            flash(_("Thank you: your mentor will see why these hours are not right."), "info")
            return redirect(url_for(".hours"))
    elif form.csrf_token.errors:
        abort(400)
    return _page((entry_id, form)), 422


@requires("newcomer")
def certificate(match_id: int) -> Response:
    """My bilingual certificate of completion, as a PDF."""
    try:
        cert = newcomer_certificate(db_session(), signed_in().id, match_id, program_names())
    except CertificateError:
        abort(404)
    return pdf_response(certificate_pdf, cert, current_locale(), f"certificate-{match_id}.pdf")
