"""The caseworker's referral pages: refer, check eligibility, save a draft, follow, change.

Every page shows only the caseworker's own agency's referrals: another agency's referral
answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.agency.display import (
    document_message,
    occupation_title,
    profile_facts,
    upload_limit_text,
)
from kit.blueprints.agency.forms import HINTS, ReferralPageForm, ResumeForm, WithdrawForm
from kit.db import db_session
from kit.i18n import current_locale
from kit.i18n import gettext as _
from kit.models import Newcomer, Referral
from kit.reference.naics import naics_sectors
from kit.reference.noc import load_noc_index
from kit.schemas.referral import profile_from_form
from kit.services.api_guard import agency_referral
from kit.services.audit import record_view
from kit.services.documents import (
    CheckedUpload,
    DocumentError,
    check_upload,
    discard_upload,
    resume_of,
    save_resume,
)
from kit.services.referral_notices import notify_new_referral
from kit.services.referrals import (
    EDITABLE_STATUSES,
    PROFILE_COLUMNS,
    Consent,
    ReferralError,
    create_referral,
    preview_eligibility,
    update_referral,
    withdraw_referral,
)
from kit.state import get_state

ACTIONS = ("check", "draft", "submit")
# Room for the form's text fields on top of the largest résumé, in one multipart body.
FORM_ALLOWANCE_BYTES = 64 * 1024


def register(bp: Blueprint) -> None:
    """Add the referral pages to the agency blueprint."""
    bp.add_url_rule("/referrals/new", "new_referral", new_referral, methods=["GET", "POST"])
    bp.add_url_rule("/referrals/<int:referral_id>", "referral", referral_page)
    bp.add_url_rule("/referrals/<int:referral_id>/edit", "edit_referral", edit_referral,
                    methods=["GET", "POST"])
    bp.add_url_rule("/referrals/<int:referral_id>/withdraw", "withdraw_referral", withdraw,
                    methods=["POST"])


def own_referral(referral_id: int) -> Referral:
    """The referral when it belongs to the caseworker's agency; 404 otherwise."""
    # With its history and who made each change, in one query (no query per history row).
    referral = agency_referral(db_session(), referral_id, signed_in().agency_id)
    if referral is None:
        abort(404)
    return referral


def limit_upload_request() -> None:
    """Refuse (413) a request body far above the résumé limit before reading it.

    Set per request, never app-wide; a smaller limit the host set stays in force.
    """
    ours = get_state().config["KIT_UPLOAD_MAX_BYTES"] + FORM_ALLOWANCE_BYTES
    host = current_app.config.get("MAX_CONTENT_LENGTH")
    request.max_content_length = ours if host is None else min(host, ours)


@requires("agency")
def new_referral() -> str | Response:
    """Refer a newcomer: fill the profile, check eligibility, then submit or keep a draft."""
    limit_upload_request()
    return _form_page(ReferralPageForm(), None)


@requires("agency")
def edit_referral(referral_id: int) -> str | Response:
    """Correct a draft or a referred-back referral and submit it (again)."""
    limit_upload_request()
    referral = own_referral(referral_id)
    if referral.status not in EDITABLE_STATUSES or referral.newcomer.is_erased:
        flash(_("This referral can no longer be changed: only drafts and referrals referred "
                "back can be."), "error")
        return redirect(url_for(".referral", referral_id=referral.id))
    data = None if request.method == "POST" else _form_data(referral.newcomer)
    return _form_page(ReferralPageForm(data=data), referral)


def _form_data(newcomer: Newcomer) -> dict[str, Any]:
    data = {column: getattr(newcomer, column) for column in PROFILE_COLUMNS}
    data["target_noc"] = data.pop("target_noc_code")
    data["languages"] = ", ".join(newcomer.language_codes)
    data["language_test"] = newcomer.language_test or ""
    # The consent is on record; it stays given unless the caseworker unticks it.
    data["consent"] = newcomer.consent_given_at is not None
    return data


def _form_page(form: ReferralPageForm, referral: Referral | None) -> str | Response:
    db = db_session()
    preview = None
    resume_dropped = False
    if request.method == "POST":
        valid = form.validate()
        if form.csrf_token.errors:
            abort(400)
        action = request.form.get("action")
        action = action if action in ACTIONS else "check"
        chosen = form.resume.data if getattr(form.resume.data, "filename", "") else None
        upload: CheckedUpload | None = None
        if chosen is not None and action != "check":
            try:
                upload = check_upload(chosen.stream, chosen.filename)
            except DocumentError as error:
                form.resume.errors = [*form.resume.errors, document_message(error.code)]
                valid = False
        if valid and action != "check":
            return _save(form, referral, action, upload)
        if upload is not None:
            discard_upload(upload)
        # A browser never sends a chosen file twice: say so rather than lose it silently.
        resume_dropped = chosen is not None and not form.resume.errors
        if valid:
            preview = preview_eligibility(db, profile_from_form(form))
    return render_template(
        "kit/agency/referral_form.html", form=form, referral=referral, preview=preview,
        suggestions=_occupation_suggestions(form.target_noc),
        resume_dropped=resume_dropped, hints=HINTS, upload_limit=upload_limit_text(),
        occupation=occupation_title(form.target_noc.data), naics=naics_sectors(),
        resume=resume_of(db, referral.newcomer_id) if referral is not None else None)


def _occupation_suggestions(field: Any) -> list[tuple[str, str]]:
    """Occupations matching words typed in the code field: the search without JavaScript."""
    typed = (field.data or "").strip()
    if not field.errors or not typed or typed.isdigit():
        return []
    locale = current_locale()
    return [(c.code, c.title(locale)) for c in load_noc_index().search(typed[:100], locale, 40)
            if c.is_unit_group][:8]


def _save(form: ReferralPageForm, referral: Referral | None, action: str,
          upload: CheckedUpload | None) -> Response:
    db = db_session()
    identity = signed_in()
    actor = actor_of(identity)
    profile = profile_from_form(form)
    submit = action == "submit"
    try:
        if referral is None:
            saved = create_referral(
                db, actor, agency_id=identity.agency_id, profile=profile, submit=submit,
                consent=Consent(get_state().config["KIT_CONSENT_VERSION"]),
                referred_by_id=identity.id)
        else:
            saved = update_referral(db, actor, referral_id=referral.id,
                                    agency_id=identity.agency_id, profile=profile,
                                    resubmit=submit)
    except ReferralError as error:
        db.rollback()
        if upload is not None:
            discard_upload(upload)
        if error.code == "not_found" or referral is None:
            abort(404)
        flash(_("This referral can no longer be changed: its status changed meanwhile."),
              "error")
        return redirect(url_for(".referral", referral_id=referral.id))
    if upload is not None:
        save_resume(db, actor, saved.newcomer_id, upload)
    notify_new_referral(db, saved)
    db.commit()
    name = saved.newcomer.display_name
    if submit and referral is None:
        flash(_("%(name)s is referred. The program coordinator will review the referral; you "
                "will receive an e-mail with their decision.", name=name), "info")
    elif submit:
        flash(_("The referral of %(name)s is submitted again. The program coordinator will "
                "review it; you will receive an e-mail with their decision.", name=name), "info")
    elif saved.status == "draft":
        flash(_("The referral of %(name)s is saved as a draft. Nothing is sent to the program "
                "until you open it and submit it.", name=name), "info")
    else:
        flash(_("Your changes are saved. The referral stays referred back until you submit it "
                "again."), "info")
    return redirect(url_for(".referral", referral_id=saved.id))


@requires("agency")
def referral_page(referral_id: int) -> str:
    """One referral: its status, the eligibility results, the decision, history and profile."""
    referral = own_referral(referral_id)
    db = db_session()
    newcomer = referral.newcomer
    erased = newcomer.is_erased
    if referral.status == "draft" and not erased:
        # A draft is not evaluated yet: show what submitting it would give.
        eligibility = preview_eligibility(
            db, {column: getattr(newcomer, column) for column in PROFILE_COLUMNS})
    else:
        eligibility = list(referral.eligibility_results)
    html = render_template(
        "kit/agency/referral.html", referral=referral, newcomer=newcomer, erased=erased,
        eligibility=eligibility, facts=[] if erased else profile_facts(newcomer),
        resume=None if erased else resume_of(db, newcomer.id),
        withdraw_form=WithdrawForm(), resume_form=ResumeForm(),
        editable=referral.status in EDITABLE_STATUSES and not erased,
        withdrawable=referral.status not in ("accepted", "withdrawn"),
        upload_limit=upload_limit_text())
    if not erased:
        record_view(db, actor_of(signed_in()), newcomer.id, "profile")
        db.commit()
    return html


@requires("agency")
def withdraw(referral_id: int) -> Response:
    """Withdraw a referral that is not accepted yet, with an optional note."""
    referral = own_referral(referral_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(" ".join(form.note.errors), "error")
        return redirect(url_for(".referral", referral_id=referral.id))
    db = db_session()
    identity = signed_in()
    try:
        withdraw_referral(db, actor_of(identity), referral_id=referral.id,
                          agency_id=identity.agency_id,
                          note=(form.note.data or "").strip() or None)
    except ReferralError:
        db.rollback()
        flash(_("This referral can no longer be withdrawn: it is already accepted or "
                "withdrawn."), "error")
        return redirect(url_for(".referral", referral_id=referral_id))
    db.commit()
    flash(_("The referral of %(name)s is withdrawn. The program will not consider it, and its "
            "data will be deleted after %(days)d days.", name=referral.newcomer.display_name,
            days=get_state().config["KIT_PURGE_AFTER_DAYS"]), "info")
    return redirect(url_for(".referral", referral_id=referral_id))
