"""The newcomer's résumé on the caseworker's side, and the occupation search of the form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.agency.display import document_message
from kit.blueprints.agency.forms import ResumeForm
from kit.blueprints.agency.referrals import limit_upload_request, own_referral
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.audit import record_view
from kit.services.documents import (
    DocumentError,
    check_upload,
    open_document,
    resume_of,
    save_resume,
    send_document,
)
from kit.web import occupation_search


def register(bp: Blueprint) -> None:
    """Add the résumé and occupation-search routes to the agency blueprint."""
    bp.add_url_rule("/referrals/<int:referral_id>/resume", "resume", download_resume)
    bp.add_url_rule("/referrals/<int:referral_id>/resume", "upload_resume", upload_resume,
                    methods=["POST"])
    bp.add_url_rule("/occupations", "occupations", occupations)


@requires("agency")
def download_resume(referral_id: int) -> Response:
    """The résumé of a referred newcomer, as an attachment; the view is audited."""
    referral = own_referral(referral_id)
    db = db_session()
    document = None if referral.newcomer.is_erased else resume_of(db, referral.newcomer_id)
    if document is None:
        abort(404)
    try:
        path, document = open_document(db, document.id)
    except DocumentError:
        abort(404)
    record_view(db, actor_of(signed_in()), referral.newcomer_id, "resume")
    db.commit()
    return send_document(path, document)


@requires("agency")
def upload_resume(referral_id: int) -> Response:
    """Attach or replace the résumé of a referral that is not withdrawn."""
    limit_upload_request()
    referral = own_referral(referral_id)
    form = ResumeForm()
    if not form.validate_on_submit() and form.csrf_token.errors:
        abort(400)
    back = redirect(url_for(".referral", referral_id=referral.id))
    if referral.status == "withdrawn" or referral.newcomer.is_erased:
        flash(_("This referral is withdrawn: its files can no longer change."), "error")
        return back
    chosen = form.resume.data
    if not getattr(chosen, "filename", ""):
        flash(_("Choose a PDF or DOCX file to attach."), "error")
        return back
    try:
        upload = check_upload(chosen.stream, chosen.filename)
    except DocumentError as error:
        flash(document_message(error.code), "error")
        return back
    db = db_session()
    document = save_resume(db, actor_of(signed_in()), referral.newcomer_id, upload)
    db.commit()
    flash(_("The résumé %(file)s is attached. The program coordinator sees it with the "
            "referral.", file=document.filename), "info")
    return back


@requires("agency")
def occupations() -> Response:
    """NOC 2021 unit groups matching ``q`` (code, words or a NOC 2016 code) as JSON."""
    return occupation_search()
